import { Construct } from "constructs";
import { checkEnvironmentName, checkRepository } from "../rules";
import { checkUnlessToken, EnvironmentSecret } from "./environment-secret";
import { constructError } from "./errors";
import type { GithubSecretsProvider } from "./provider";
import type { SecretValue } from "./secret-value";

/** Properties of an `EnvironmentSecrets`. */
export interface EnvironmentSecretsProps {
  /** The repository that holds the environment, as `owner/name` (for example `acme/api`). */
  readonly repository: string;

  /**
   * Name of the GitHub environment (for example `production`). It must already exist.
   */
  readonly environment: string;

  /**
   * The secrets, by name: `{ DB_PASSWORD: SecretValue.fromEnv("PROD_DB_PASSWORD") }`. Names follow
   * `EnvironmentSecret.secretName` (upper-cased; two names differing only in letter case are an error
   * at synth). `SecretNames.fromList` and `SecretNames.fromDotenvFile` build this map from names.
   */
  readonly secrets: Record<string, SecretValue>;

  /**
   * The provider configuration to manage these secrets with. Needed only for an aliased configuration.
   *
   * @default - the stack's default `GithubSecretsProvider`, created implicitly if the stack has none
   */
  readonly provider?: GithubSecretsProvider;
}

/**
 * Many secrets of one GitHub environment in one construct. Each entry becomes an `EnvironmentSecret`
 * (child id: the name as given), so every secret is validated, counted and planned exactly as if it
 * were declared alone: names, duplicates across the app, at most 100 per environment.
 *
 * @example
 * new EnvironmentSecrets(stack, "prod", {
 *   repository: "acme/api",
 *   environment: "production",
 *   secrets: {
 *     DB_PASSWORD: SecretValue.fromEnv("PROD_DB_PASSWORD"),
 *     API_KEY: SecretValue.fromVariable(apiKey),
 *   },
 * });
 */
export class EnvironmentSecrets extends Construct {
  /** `owner/name` of the repository. */
  public readonly repository: string;

  /** Name of the environment. */
  public readonly environment: string;

  /** The secrets, one `EnvironmentSecret` per entry of `secrets`, in the order given. */
  public readonly secrets: readonly EnvironmentSecret[];

  public constructor(scope: Construct, id: string, props: EnvironmentSecretsProps) {
    super(scope, id);
    const problems = [
      ...checkUnlessToken("repository", props.repository, checkRepository),
      ...checkUnlessToken("environment", props.environment, checkEnvironmentName),
    ];
    const entries =
      props.secrets !== null && typeof props.secrets === "object" ? Object.entries(props.secrets) : undefined;
    if (entries === undefined) {
      problems.push(
        'secrets is missing: give a map of names to values, such as { DB_PASSWORD: SecretValue.fromEnv("DB_PASSWORD") }',
      );
    } else if (entries.length === 0) {
      problems.push(
        "secrets is empty: declare at least one secret (SecretNames.fromList or SecretNames.fromDotenvFile build the map from names)",
      );
    }
    if (problems.length > 0) {
      throw constructError("EnvironmentSecrets", this, problems);
    }
    this.repository = props.repository;
    this.environment = props.environment;
    this.secrets = (entries ?? []).map(
      ([secretName, value]) =>
        new EnvironmentSecret(this, secretName, {
          repository: props.repository,
          environment: props.environment,
          secretName,
          value,
          provider: props.provider,
        }),
    );
  }

  /** The secret of that name (compared without letter case, as GitHub does); undefined if not declared. */
  public secret(name: string): EnvironmentSecret | undefined {
    const wanted = name.toUpperCase();
    return this.secrets.find((s) => s.secretName.toUpperCase() === wanted);
  }

  /**
   * Adopts every declared secret that already exists on GitHub (see `EnvironmentSecret.importExisting`):
   * the plan shows them imported, plus one update each that writes the declared value.
   */
  public importExisting(): void {
    for (const secret of this.secrets) secret.importExisting();
  }
}
