import { readFileSync } from "node:fs";
import { parse } from "dotenv";
import { checkSecretName } from "../rules";
import { ValidationError } from "./errors";
import { SecretValue } from "./secret-value";

/** Options of `SecretNames.fromList`. */
export interface SecretNamesOptions {
  /**
   * Where each secret's value comes from, given its name (as written in the list or file).
   *
   * @default - `SecretValue.fromEnv(envPrefix + name)`: the provider reads the environment variable
   *   of that name when Terraform plans and applies
   */
  readonly valueFor?: (name: string) => SecretValue;

  /**
   * Prefix of the environment variable each value is read from, when `valueFor` is not given: with
   * `PROD_`, the secret `DB_PASSWORD` takes its value from `PROD_DB_PASSWORD`.
   *
   * @default "" (the variable has the secret's name)
   */
  readonly envPrefix?: string;
}

/** Options of `SecretNames.fromDotenvFile`. */
export interface DotenvSecretNamesOptions extends SecretNamesOptions {
  /**
   * Use the values written in the file. They end up in plain text in `cdk.tf.json` (each secret gets
   * the `SecretValue.unsafePlainText` warning); meant for throw-away values only. Without it the
   * file's values are ignored and only its names are used.
   *
   * @default false
   */
  readonly unsafePlainText?: boolean;
}

/**
 * Builds the `secrets` map of an `EnvironmentSecrets` from secret names, so a long list does not
 * have to spell out a `SecretValue` per name. Values still come from the environment (or `valueFor`),
 * never from the names' source.
 */
export class SecretNames {
  /**
   * One secret per name; each value read from the environment variable of the same name (plus
   * `envPrefix`) unless `valueFor` says otherwise.
   *
   * @example
   * secrets: SecretNames.fromList(["DB_PASSWORD", "API_KEY"], { envPrefix: "PROD_" })
   */
  public static fromList(
    names: readonly string[],
    options: SecretNamesOptions = {},
  ): Record<string, SecretValue> {
    SecretNames.check("SecretNames.fromList", names);
    return SecretNames.toMap(names, options);
  }

  /**
   * The names of a dotenv-style file (`NAME=value` lines, `#` comments, `export NAME=...`), as parsed
   * by the `dotenv` package. The file's values are ignored unless `unsafePlainText` is set: a
   * committed `.env.example` with empty or dummy values is enough to list what an environment holds.
   *
   * @example
   * secrets: SecretNames.fromDotenvFile("secrets/production.env", { envPrefix: "PROD_" })
   */
  public static fromDotenvFile(
    path: string,
    options: DotenvSecretNamesOptions = {},
  ): Record<string, SecretValue> {
    let entries: Record<string, string>;
    try {
      entries = parse(readFileSync(path));
    } catch (error) {
      throw new ValidationError(
        "SecretNames.fromDotenvFile",
        [
          `cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): ` +
            `give the path of a dotenv-style file, relative to the directory the app runs in`,
        ],
        { cause: error },
      );
    }
    const names = Object.keys(entries);
    // Names only: a value from the file is never quoted in an error.
    SecretNames.check(`SecretNames.fromDotenvFile("${path}")`, names);
    if (options.unsafePlainText === true) {
      return Object.fromEntries(
        names.map((name) => [name, SecretValue.unsafePlainText(entries[name] ?? "")]),
      );
    }
    return SecretNames.toMap(names, options);
  }

  /** Bad names fail here, naming the list or file, rather than later at a construct path. */
  private static check(where: string, names: readonly string[]): void {
    const problems = names.flatMap((name) => checkSecretName(name).map((p) => `"${name}": ${p}`));
    if (problems.length > 0) {
      throw new ValidationError(where, problems);
    }
  }

  private static toMap(names: readonly string[], options: SecretNamesOptions): Record<string, SecretValue> {
    const valueFor =
      options.valueFor ?? ((name: string) => SecretValue.fromEnv(`${options.envPrefix ?? ""}${name}`));
    return Object.fromEntries(names.map((name) => [name, valueFor(name)]));
  }

  private constructor() {}
}
