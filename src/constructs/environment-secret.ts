import { TerraformStack, Token } from "./cdk";
import { Construct } from "constructs";
import {
  checkEnvironmentName,
  checkNotEmpty,
  checkRepository,
  checkSecretName,
  formatImportId,
  normalizeSecretName,
} from "../rules";
import { EnvironmentSecretResource } from "./environment-secret-resource";
import { constructError, describeType } from "./errors";
import { GithubSecretsProvider } from "./provider";
import { registerSecret } from "./secret-registry";
import type { SecretValue } from "./secret-value";

/** Properties of an `EnvironmentSecret`. */
export interface EnvironmentSecretProps {
  /**
   * The repository that holds the environment, as `owner/name` (for example `acme/api`).
   * Changing it replaces the secret (the old one is deleted).
   */
  readonly repository: string;

  /**
   * Name of the GitHub environment, as shown in the repository settings (for example `production`).
   * `/`, spaces and non-ASCII are fine: the provider encodes the name in URLs. The environment must
   * already exist. Changing it replaces the secret.
   */
  readonly environment: string;

  /**
   * Name of the secret: letters, digits and `_`, not starting with a digit nor with `GITHUB_`.
   * GitHub stores names upper case, so the name is upper-cased here (`db_password` → `DB_PASSWORD`).
   * Changing it replaces the secret.
   */
  readonly secretName: string;

  /**
   * Where the value comes from; see `SecretValue` for each source and what it keeps out of the
   * synthesized config, the plan and the state. `SecretValue.fromEnv` is the usual choice.
   */
  readonly value: SecretValue;

  /**
   * Write an empty value instead of refusing it. An empty value is far more often a CI secret that was
   * never set (expanded to `""`) than a wanted one, so the provider refuses it at plan, naming the empty
   * variable, and a literal empty value is a construct error.
   *
   * @default false
   */
  readonly allowEmpty?: boolean;

  /**
   * The provider configuration to manage this secret with. Needed only for an aliased configuration.
   *
   * @default - the stack's default `GithubSecretsProvider`, created implicitly if the stack has none
   */
  readonly provider?: GithubSecretsProvider;
}

const SECRET_SYMBOL = Symbol.for("cdktf-github-secrets.EnvironmentSecret");

/**
 * A GitHub Actions secret of one deployment environment of a repository.
 *
 * The provider encrypts the value with the environment's public key at apply time and sends only the
 * sealed box to GitHub. Changing the value updates the secret in place; changing the repository,
 * environment or name replaces it. Drift made outside Terraform (someone edits the secret in the UI)
 * shows up in the next plan.
 *
 * @example
 * new EnvironmentSecret(stack, "db-password", {
 *   repository: "acme/api",
 *   environment: "production",
 *   secretName: "DB_PASSWORD",
 *   value: SecretValue.fromEnv("DB_PASSWORD"),
 * });
 */
export class EnvironmentSecret extends Construct {
  /** Whether `x` is an `EnvironmentSecret` (works across copies of this library). */
  public static isEnvironmentSecret(x: unknown): x is EnvironmentSecret {
    return x !== null && typeof x === "object" && SECRET_SYMBOL in x;
  }

  /** The L1 `ghsecrets_environment_secret` resource, for escape hatches (`lifecycle`, `addOverride`, ...). */
  public readonly resource: EnvironmentSecretResource;

  /** `owner/name` of the repository. */
  public readonly repository: string;

  /** Name of the environment. */
  public readonly environment: string;

  /** The secret's name, upper case as GitHub stores it. */
  public readonly secretName: string;

  /**
   * Where the value comes from, in the words of `plan-report` (`env DB_PASSWORD`, `variable api_key`,
   * `sealed`, ...): names only, never the value.
   */
  public readonly valueSource: string;

  /** The secret's address in the plan (`ghsecrets_environment_secret.<id>`), which `plan-report --json` rows carry. */
  public get terraformAddress(): string {
    return `${EnvironmentSecretResource.tfResourceType}.${this.resource.friendlyUniqueId}`;
  }

  private readonly explicitProvider: GithubSecretsProvider | undefined;

  public constructor(scope: Construct, id: string, props: EnvironmentSecretProps) {
    super(scope, id);
    Object.defineProperty(this, SECRET_SYMBOL, { value: true });

    const problems = [
      ...checkUnlessToken("repository", props.repository, checkRepository),
      ...checkUnlessToken("environment", props.environment, checkEnvironmentName),
      ...checkUnlessToken("secretName", props.secretName, checkSecretName),
    ];
    if (props.value === undefined || props.value === null) {
      problems.push('value is missing: give one, such as SecretValue.fromEnv("DB_PASSWORD")');
    } else if (typeof (props.value as Partial<SecretValue>).bind !== "function") {
      problems.push(
        `value must be a SecretValue, got ${describeType(props.value)}: make one with a factory, such as ` +
          'SecretValue.fromEnv("DB_PASSWORD")',
      );
    }
    const stack = TerraformStack.of(this);
    if (props.provider !== undefined && TerraformStack.of(props.provider) !== stack) {
      problems.push(
        `provider "${props.provider.node.path}" belongs to another stack: pass a GithubSecretsProvider of ` +
          `stack "${stack.node.path}"`,
      );
    }
    if (problems.length > 0) {
      throw constructError("EnvironmentSecret", this, problems);
    }

    this.repository = props.repository;
    this.environment = props.environment;
    // Upper-casing a token would corrupt its encoding; such a name is checked by the provider instead.
    this.secretName = Token.isUnresolved(props.secretName)
      ? props.secretName
      : normalizeSecretName(props.secretName);
    this.explicitProvider = props.provider;
    if (props.provider === undefined) {
      // Terraform uses the default configuration by itself; this only makes sure the stack has one.
      GithubSecretsProvider.of(this);
    }

    const value = props.value.bind(this);
    if (value.value === "" && props.allowEmpty !== true) {
      throw constructError(
        "EnvironmentSecret",
        this,
        checkNotEmpty(value.value, `the value of ${props.value.toString()}`, "allowEmpty: true"),
      );
    }
    this.valueSource = props.value.description;
    this.resource = new EnvironmentSecretResource(this, "Default", {
      repository: this.repository,
      environment: this.environment,
      secretName: this.secretName,
      ...value,
      allowEmpty: props.allowEmpty === true ? true : undefined,
      provider: props.provider,
    });

    registerSecret({
      construct: this,
      repository: this.repository,
      environment: this.environment,
      secretName: this.secretName,
      baseUrl: () => this.provider.baseUrl,
    });
  }

  /** The provider configuration that manages this secret. */
  public get provider(): GithubSecretsProvider {
    return this.explicitProvider ?? GithubSecretsProvider.of(this);
  }

  /**
   * Fingerprint of the current value (token). It changes whenever the value changes, which is what
   * makes Terraform plan an update; it does not reveal the value. Use it to trigger redeployments.
   */
  public get fingerprint(): string {
    return this.resource.valueFingerprint;
  }

  /** When GitHub last updated the secret (token, ISO 8601). */
  public get updatedAt(): string {
    return this.resource.updatedAt;
  }

  /** When GitHub created the secret (token, ISO 8601). */
  public get createdAt(): string {
    return this.resource.createdAt;
  }

  /**
   * The secret's id: `owner/repo:environment:SECRET_NAME`, written as is (no escaping: the environment
   * is everything between the first and the last `:`). It is both the resource's Terraform `id` and
   * what `terraform import` takes, and is known at synth (a plain string, not a token).
   */
  public get importId(): string {
    return formatImportId({
      repository: this.repository,
      environment: this.environment,
      secretName: this.secretName,
    });
  }

  /**
   * Adopts a secret that already exists on GitHub into the state, so the plan shows it as imported
   * rather than created: adds a Terraform `import` block (Terraform ≥ 1.5) for this secret's `importId`.
   * GitHub never returns secret values, so the same plan also shows an update that writes the declared
   * value. Once applied, the call can stay (an import of a managed resource is a no-op) or be removed.
   */
  public importExisting(): void {
    this.resource.importFrom(this.importId, this.explicitProvider);
  }
}

/** Problems of a string prop; a token is left to the provider, which checks it at plan time. */
export function checkUnlessToken(prop: string, value: string, check: (v: string) => string[]): string[] {
  if (typeof value !== "string") {
    return [`${prop} is missing: give it as a string`];
  }
  return Token.isUnresolved(value) ? [] : check(value);
}
