import { TerraformResource, type TerraformMetaArguments } from "./cdk";
import type { Construct } from "constructs";

/** Attributes of `ghsecrets_environment_secret_set`, in the provider's terms. */
export interface EnvironmentSecretSetResourceConfig extends TerraformMetaArguments {
  /** `repository`: `owner/name`. */
  readonly repository: string;
  /** `environment`: the environment whose whole secret set is owned. */
  readonly environment: string;
  /**
   * `declared_secrets`: the names never to delete. Called at synth, once every construct of the app
   * exists, so secrets declared later (or in another stack) are included.
   */
  readonly declaredSecrets: () => string[];
}

/**
 * L1 binding of `ghsecrets_environment_secret_set`: secrets of the environment not in
 * `declared_secrets` are planned for deletion. Made by `EnvironmentSecrets` with `exclusive: true`,
 * which fills `declared_secrets` from every secret the app declares for the environment.
 */
export class EnvironmentSecretSetResource extends TerraformResource {
  /** Resource type, as used by `Testing` matchers. */
  public static readonly tfResourceType = "ghsecrets_environment_secret_set";

  private readonly config: EnvironmentSecretSetResourceConfig;

  public constructor(scope: Construct, id: string, config: EnvironmentSecretSetResourceConfig) {
    super(scope, id, {
      terraformResourceType: EnvironmentSecretSetResource.tfResourceType,
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.config = config;
  }

  /** `secret_names`: the environment's secrets as GitHub lists them (token, list of strings). */
  public get secretNames(): string[] {
    return this.getListAttribute("secret_names");
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return {
      repository: this.config.repository,
      environment: this.config.environment,
      declared_secrets: this.config.declaredSecrets(),
    };
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return {
      repository: {
        value: this.config.repository,
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      environment: {
        value: this.config.environment,
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      declared_secrets: {
        value: this.config.declaredSecrets(),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
    };
  }
}
