import { TerraformResource, Token, type TerraformMetaArguments } from "./cdk";
import { Construct } from "constructs";
import {
  checkEnvironmentName,
  checkRepository,
  checkVariableName,
  checkVariableValue,
  formatImportId,
  normalizeSecretName,
} from "../rules";
import { checkUnlessToken } from "./environment-secret";
import { constructError } from "./errors";
import { hclAttributes } from "./hcl-attributes";
import { GithubSecretsProvider } from "./provider";

/** Attributes of `ghsecrets_environment_variable`, in the provider's terms. */
export interface EnvironmentVariableResourceConfig extends TerraformMetaArguments {
  /** `repository`: `owner/name`. */
  readonly repository: string;
  /** `environment`: name of the GitHub environment. */
  readonly environment: string;
  /** `variable_name`. */
  readonly variableName: string;
  /** `value`: plain text, visible in plans and state. */
  readonly value: string;
}

/** L1 binding of `ghsecrets_environment_variable`; prefer the `EnvironmentVariable` construct. */
export class EnvironmentVariableResource extends TerraformResource {
  /** Resource type, as used by `Testing` matchers. */
  public static readonly tfResourceType = "ghsecrets_environment_variable";

  private readonly config: EnvironmentVariableResourceConfig;

  public constructor(scope: Construct, id: string, config: EnvironmentVariableResourceConfig) {
    super(scope, id, {
      terraformResourceType: EnvironmentVariableResource.tfResourceType,
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
    });
    this.config = config;
  }

  /** `updated_at`, as GitHub reports it (ISO 8601). */
  public get updatedAt(): string {
    return this.getStringAttribute("updated_at");
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return this.attributes();
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return hclAttributes(this.attributes());
  }

  private attributes(): Record<string, string> {
    const c = this.config;
    return {
      repository: c.repository,
      environment: c.environment,
      variable_name: c.variableName,
      value: c.value,
    };
  }
}

/** Properties of an `EnvironmentVariable`. */
export interface EnvironmentVariableProps {
  /** The repository that holds the environment, as `owner/name`. Changing it replaces the variable. */
  readonly repository: string;

  /** Name of the GitHub environment; it must already exist. Changing it replaces the variable. */
  readonly environment: string;

  /**
   * Name of the variable: letters, digits and `_`, not starting with a digit nor with `GITHUB_`;
   * upper-cased as GitHub stores it. Changing it replaces the variable.
   */
  readonly variableName: string;

  /**
   * The value, in plain text: variables are configuration, not secrets, and the value shows in
   * `cdk.tf.json`, plans and state. At most 48 KB. Use `EnvironmentSecret` for anything secret.
   */
  readonly value: string;

  /**
   * The provider configuration to manage this variable with. Needed only for an aliased configuration.
   *
   * @default - the stack's default `GithubSecretsProvider`, created implicitly if the stack has none
   */
  readonly provider?: GithubSecretsProvider;
}

/**
 * A GitHub Actions variable of one deployment environment (`vars.NAME` in workflows): the non-secret
 * configuration that sits beside the environment's secrets. A changed value is updated in place; a
 * change made outside Terraform shows in the next plan as `~ value = "theirs" -> "yours"`.
 *
 * @example
 * new EnvironmentVariable(stack, "region", {
 *   repository: "acme/api",
 *   environment: "production",
 *   variableName: "DEPLOY_REGION",
 *   value: "eu-west-1",
 * });
 */
export class EnvironmentVariable extends Construct {
  /** The L1 `ghsecrets_environment_variable` resource, for escape hatches. */
  public readonly resource: EnvironmentVariableResource;

  /** The variable's name, upper case as GitHub stores it. */
  public readonly variableName: string;

  private readonly repository: string;
  private readonly environment: string;
  private readonly explicitProvider: GithubSecretsProvider | undefined;

  public constructor(scope: Construct, id: string, props: EnvironmentVariableProps) {
    super(scope, id);
    const problems = [
      ...checkUnlessToken("repository", props.repository, checkRepository),
      ...checkUnlessToken("environment", props.environment, checkEnvironmentName),
      ...checkUnlessToken("variableName", props.variableName, checkVariableName),
      ...checkUnlessToken("value", props.value, checkVariableValue),
    ];
    if (problems.length > 0) throw constructError("EnvironmentVariable", this, problems);
    this.repository = props.repository;
    this.environment = props.environment;
    this.variableName = Token.isUnresolved(props.variableName)
      ? props.variableName
      : normalizeSecretName(props.variableName);
    this.explicitProvider = props.provider;
    if (props.provider === undefined) GithubSecretsProvider.of(this);
    this.resource = new EnvironmentVariableResource(this, "Default", {
      repository: props.repository,
      environment: props.environment,
      variableName: this.variableName,
      value: props.value,
      provider: props.provider,
    });
  }

  /** The id `terraform import` takes: `owner/repo:environment:VARIABLE_NAME`. */
  public get importId(): string {
    return formatImportId({
      repository: this.repository,
      environment: this.environment,
      secretName: this.variableName,
    });
  }

  /** Adopts a variable that already exists (an `import` block); the plan shows a value update only if it differs. */
  public importExisting(): void {
    this.resource.importFrom(this.importId, this.explicitProvider);
  }
}
