import { Annotations, TerraformVariable, Token } from "./cdk";
import type { IConstruct } from "constructs";
import { checkKeyId, checkSealedValue, checkValueSize, isEnvVarName, valueSourceLabel } from "../rules";
import { constructError, describeType } from "./errors";

/**
 * The attributes of `ghsecrets_environment_secret` that carry a value; exactly one source is set.
 * Returned by `SecretValue.bind`.
 */
export interface SecretValueConfig {
  /** Write-only `value`: Terraform passes it to the provider but keeps it out of plan and state. */
  readonly value?: string;
  /** `value_env`: name of the environment variable the provider reads at plan and apply time. */
  readonly valueEnv?: string;
  /** `value_json_key`: with `valueEnv`, the member of the JSON object in that variable that holds the value. */
  readonly valueJsonKey?: string;
  /** `encrypted_value`: base64 sealed box made with the environment's public key. */
  readonly encryptedValue?: string;
  /** `key_id`: id of the public key `encryptedValue` was sealed with. */
  readonly keyId?: string;
}

/** How a `SecretValue` reaches GitHub; see the factory of the same name. */
export type SecretValueSource = "env" | "jsonEnv" | "variable" | "token" | "encrypted" | "plaintext";

type Source =
  | { readonly kind: "env"; readonly name: string }
  | { readonly kind: "jsonEnv"; readonly name: string; readonly key: string }
  | { readonly kind: "variable"; readonly variable: TerraformVariable }
  | { readonly kind: "token"; readonly expression: string }
  | { readonly kind: "encrypted"; readonly ciphertext: string; readonly keyId: string }
  | { readonly kind: "plaintext"; readonly text: string };

/**
 * Where the value of an `EnvironmentSecret` comes from. Pick a source with one of the factories; each
 * documents what it keeps out of (or puts into) the synthesized config, the plan and the state.
 *
 * In every case the provider encrypts the value for the environment at apply time; the state never
 * holds the plaintext, only a fingerprint that drives the plan diff without revealing the value.
 */
export class SecretValue {
  /**
   * The provider reads the environment variable `name` when terraform plans and applies (`value_env`).
   * Nothing secret is written to the config, the plan or the state; the variable must be set in every
   * process that runs `terraform plan` or `terraform apply` (not at synth time). Recommended for CI.
   *
   * @param name an environment variable name, such as `DB_PASSWORD`
   */
  public static fromEnv(name: string): SecretValue {
    return new SecretValue({ kind: "env", name });
  }

  /**
   * One member of a JSON object held by the environment variable `name`, read by the provider when
   * terraform plans and applies (`value_env` + `value_json_key`), never at synth. One variable then
   * carries every value, so a new secret needs no new wiring where terraform runs; in GitHub Actions,
   * `env: { REPOSITORY_SECRETS: ${{ toJSON(secrets) }} }` on the terraform step passes every repository
   * secret at once. Nothing secret is written to the config, the plan or the state.
   *
   * Trade-off: that variable holds many values, so every one of them reaches the terraform process
   * (with `toJSON(secrets)`: also the token). Do not keep the values in *one* JSON repository secret
   * instead: GitHub masks a secret in logs by its whole text, not by the parts of a JSON document.
   *
   * @param name an environment variable name, such as `REPOSITORY_SECRETS`
   * @param key the member of the JSON object that holds this secret's value, such as `DB_PASSWORD`
   */
  public static fromJsonEnv(name: string, key: string): SecretValue {
    return new SecretValue({ kind: "jsonEnv", name, key });
  }

  /**
   * The value of a Terraform input variable, sent through the write-only `value` attribute, so it is
   * kept out of the state and shown as `(write-only attribute)` in plans. Declare the variable with
   * `sensitive: true` (a warning is added otherwise) and, to keep it out of saved plan files too, make it
   * ephemeral: `variable.addOverride("ephemeral", true)`. Give the value with `TF_VAR_<name>` or a
   * `.tfvars` file, never as the variable's `default` (which would be written to `cdk.tf.json`).
   */
  public static fromVariable(variable: TerraformVariable): SecretValue {
    return new SecretValue({ kind: "variable", variable });
  }

  /**
   * A reference resolved by Terraform, such as another resource's attribute (for example the `result`
   * of a `random_password`), sent through the write-only `value` attribute. It must be an unresolved
   * token; a literal string is an error (use `unsafePlainText` for that). Note that the other resource
   * usually keeps the value in its own state.
   */
  public static fromToken(expression: string): SecretValue {
    return new SecretValue({ kind: "token", expression });
  }

  /**
   * A value already sealed for the environment: the base64 libsodium sealed box made with the
   * environment's public key, and that key's id (`encrypted_value` + `key_id`). Only GitHub can open
   * it, so it may sit in the config, plan and state. When GitHub rotates the environment's key, seal the
   * value again with the new key.
   */
  public static encrypted(ciphertext: string, keyId: string): SecretValue {
    return new SecretValue({ kind: "encrypted", ciphertext, keyId });
  }

  /**
   * A literal plaintext value. It works, but the plaintext is written to `cdk.tf.json` (kept out of the
   * plan and state, as the attribute is write-only), so anyone who can read the synthesized output can
   * read the secret; a warning annotation says so. Meant for tests and throw-away values.
   */
  public static unsafePlainText(text: string): SecretValue {
    return new SecretValue({ kind: "plaintext", text });
  }

  private constructor(private readonly source: Source) {
    // Keeps `console.log(secretValue)` from printing the private plaintext field. Defined here, not
    // as a `[inspect.custom]()` method: that would put `node:util` in the published type
    // declarations, and a consumer's `tsc` would then need `@types/node`.
    Object.defineProperty(this, Symbol.for("nodejs.util.inspect.custom"), { value: () => this.toString() });
  }

  /** Which factory made this value. */
  public get sourceKind(): SecretValueSource {
    return this.source.kind;
  }

  /**
   * Checks this value for the secret `scope` and returns the resource attributes that carry it.
   * Called by `EnvironmentSecret`; warnings are attached to `scope`. Errors name `scope`'s path.
   */
  public bind(scope: IConstruct): SecretValueConfig {
    const fail = (...problems: string[]) => constructError("EnvironmentSecret", scope, problems);
    const s = this.source;
    const typeProblems = sourceTypeProblems(s);
    if (typeProblems.length > 0) {
      throw fail(...typeProblems);
    }
    switch (s.kind) {
      case "env":
        if (!Token.isUnresolved(s.name) && !isEnvVarName(s.name)) {
          throw fail(
            `SecretValue.fromEnv("${s.name}"): "${s.name}" is not an environment variable name: ` +
              `use letters, digits and '_', not starting with a digit, such as DB_PASSWORD`,
          );
        }
        return { valueEnv: s.name };

      case "jsonEnv":
        if (!Token.isUnresolved(s.name) && !isEnvVarName(s.name)) {
          throw fail(
            `SecretValue.fromJsonEnv("${s.name}", ...): "${s.name}" is not an environment variable name: ` +
              `use letters, digits and '_', not starting with a digit, such as REPOSITORY_SECRETS`,
          );
        }
        if (typeof s.key !== "string" || s.key === "") {
          throw fail(
            `SecretValue.fromJsonEnv("${s.name}", key): the key is empty: give the member of the JSON object ` +
              `that holds the value, such as "DB_PASSWORD"`,
          );
        }
        return { valueEnv: s.name, valueJsonKey: s.key };

      case "variable":
        checkVariable(scope, s.variable);
        return { value: s.variable.stringValue };

      case "token":
        if (!Token.isUnresolved(s.expression)) {
          throw fail(
            "SecretValue.fromToken() was given a literal string, not a reference: pass a resource attribute " +
              "(such as password.result); for a literal use SecretValue.fromEnv or SecretValue.fromVariable",
          );
        }
        return { value: s.expression };

      case "encrypted": {
        const problems = checkCiphertext(s.ciphertext, s.keyId);
        if (problems.length > 0) {
          throw fail(...problems);
        }
        return { encryptedValue: s.ciphertext, keyId: s.keyId };
      }

      case "plaintext": {
        const problems = checkValueSize(s.text);
        if (problems.length > 0) {
          throw fail(...problems);
        }
        Annotations.of(scope).addWarning(
          "SecretValue.unsafePlainText: the secret's plaintext is written to cdk.tf.json, so anyone who can " +
            "read the synthesized output can read it. Use SecretValue.fromEnv or SecretValue.fromVariable instead.",
        );
        return { value: s.text };
      }
    }
  }

  /**
   * Where the value comes from, as `plan-report` words it: `env DB_PASSWORD`, `env REPOSITORY_SECRETS,
   * key DB_PASSWORD`, `variable api_key`, `reference`, `sealed` or `literal in the configuration`.
   * Names only, never the value.
   */
  public get description(): string {
    const s = this.source;
    switch (s.kind) {
      case "env":
        return valueSourceLabel({ kind: "env", variable: s.name });
      case "jsonEnv":
        return valueSourceLabel({ kind: "jsonEnv", variable: s.name, key: s.key });
      case "variable":
        return valueSourceLabel({ kind: "variable", name: s.variable.friendlyUniqueId });
      case "token":
        return valueSourceLabel({ kind: "reference" });
      case "encrypted":
        return valueSourceLabel({ kind: "sealed" });
      case "plaintext":
        return valueSourceLabel({ kind: "literal" });
    }
  }

  /** Never shows a plaintext, even when the object is logged. */
  public toString(): string {
    return `SecretValue(${this.source.kind})`;
  }

  /** Never serializes a plaintext. */
  public toJSON(): { source: SecretValueSource } {
    return { source: this.source.kind };
  }
}

/**
 * From JavaScript any argument can reach a factory; say which one has the wrong type, before the
 * checks below fail on it with a message such as "keyId.trim is not a function".
 */
function sourceTypeProblems(s: Source): string[] {
  const strings: Array<[string, string, unknown]> =
    s.kind === "env"
      ? [["fromEnv", "name", s.name]]
      : s.kind === "token"
        ? [["fromToken", "expression", s.expression]]
        : s.kind === "encrypted"
          ? [
              ["encrypted", "ciphertext", s.ciphertext],
              ["encrypted", "keyId", s.keyId],
            ]
          : s.kind === "plaintext"
            ? [["unsafePlainText", "text", s.text]]
            : [];
  const problems = strings
    .filter(([, , value]) => typeof value !== "string")
    .map(
      ([factory, arg, value]) =>
        `SecretValue.${factory}(): ${arg} must be a string, got ${describeType(value)}`,
    );
  // Not instanceof: the variable may come from another copy of cdktf.
  const variable = s.kind === "variable" ? (s.variable as unknown) : undefined;
  if (
    s.kind === "variable" &&
    !(TerraformVariable.isTerraformElement(variable) && typeof s.variable.stringValue === "string")
  ) {
    problems.push(
      `SecretValue.fromVariable(): variable must be a TerraformVariable, got ${describeType(s.variable)}: ` +
        `pass new TerraformVariable(stack, "name", { sensitive: true })`,
    );
  }
  return problems;
}

function checkVariable(scope: IConstruct, variable: TerraformVariable): void {
  const name = variable.node.id;
  if (variable.sensitive !== true) {
    Annotations.of(scope).addWarning(
      `SecretValue.fromVariable: variable "${name}" is not sensitive, so Terraform may show its value in ` +
        `its output. Declare it with sensitive: true (and make it ephemeral with ` +
        `variable.addOverride("ephemeral", true) to keep it out of saved plan files).`,
    );
  }
  if (variable.default !== undefined && variable.default !== null && !Token.isUnresolved(variable.default)) {
    const problems = typeof variable.default === "string" ? checkValueSize(variable.default) : [];
    if (problems.length > 0) {
      throw constructError(
        "EnvironmentSecret",
        scope,
        problems.map((p) => `variable "${name}" default: ${p}`),
      );
    }
    Annotations.of(scope).addWarning(
      `SecretValue.fromVariable: variable "${name}" has a default, which is written in plain text to ` +
        `cdk.tf.json. Remove the default and give the value with TF_VAR_${name} or a .tfvars file.`,
    );
  }
}

function checkCiphertext(ciphertext: string, keyId: string): string[] {
  const problems = [
    ...(Token.isUnresolved(ciphertext) ? [] : checkSealedValue(ciphertext)),
    ...(Token.isUnresolved(keyId) ? [] : checkKeyId(keyId)),
  ];
  return problems.map((p) => `SecretValue.encrypted(): ${p}`);
}
