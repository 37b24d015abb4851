import { Token } from "./cdk";
import { Construct } from "constructs";
import { checkEnvironmentName, checkRepository, formatEnvironmentId } from "../rules";
import { checkUnlessToken, EnvironmentSecret } from "./environment-secret";
import { EnvironmentSecretSetResource } from "./environment-secret-set-resource";
import { constructError } from "./errors";
import { GithubSecretsProvider } from "./provider";
import { declaredSecretNames, registerExclusiveOwner } from "./secret-registry";
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
   * Own the environment's whole secret set: a secret that exists on GitHub but is declared nowhere in
   * this app (by this construct, an `EnvironmentSecret` or another stack) is shown in the plan as one to
   * delete, and apply deletes it; one added outside Terraform later shows up in the next plan. Adds a
   * `ghsecrets_environment_secret_set` resource, imported so the first plan already lists the deletions.
   * One exclusive owner per environment and app; `secrets` may then be empty (no secret at all).
   *
   * @default false - secrets not declared here are left alone
   */
  readonly exclusive?: boolean;

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

  /** With `exclusive: true`, the L1 `ghsecrets_environment_secret_set` that deletes undeclared secrets. */
  public readonly exclusiveSet: EnvironmentSecretSetResource | undefined;

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
    } else if (entries.length === 0 && props.exclusive !== true) {
      problems.push(
        "secrets is empty: declare at least one secret (SecretNames.fromList or SecretNames.fromDotenvFile build the map from names)",
      );
    }
    if (
      props.exclusive === true &&
      (Token.isUnresolved(props.repository) || Token.isUnresolved(props.environment))
    ) {
      problems.push(
        "exclusive needs repository and environment as plain strings: which secrets to keep is decided at synth",
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
    if (props.exclusive === true) {
      if (props.provider === undefined) GithubSecretsProvider.of(this);
      const { repository, environment } = props;
      this.exclusiveSet = new EnvironmentSecretSetResource(this, "Exclusive", {
        repository,
        environment,
        declaredSecrets: () => declaredSecretNames(this, repository, environment),
        provider: props.provider,
      });
      // The set always exists on GitHub: importing it makes the first plan show the deletions.
      this.exclusiveSet.importFrom(formatEnvironmentId({ repository, environment }), props.provider);
      registerExclusiveOwner({ construct: this, repository, environment });
    }
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
