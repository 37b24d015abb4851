import type { Construct } from "constructs";
import type { TerraformMetaArguments } from "./cdk";
import { ProviderResource, type ResourceAttribute } from "./provider-resource";

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
export class EnvironmentSecretSetResource extends ProviderResource<EnvironmentSecretSetResourceConfig> {
  /** Resource type, as used by `Testing` matchers. */
  public static readonly tfResourceType = "ghsecrets_environment_secret_set";

  public constructor(scope: Construct, id: string, config: EnvironmentSecretSetResourceConfig) {
    super(scope, id, EnvironmentSecretSetResource.tfResourceType, config);
  }

  /** `secret_names`: the environment's secrets as GitHub lists them (token, list of strings). */
  public get secretNames(): string[] {
    return this.getListAttribute("secret_names");
  }

  protected attributes(): Record<string, ResourceAttribute> {
    return {
      repository: this.config.repository,
      environment: this.config.environment,
      declared_secrets: this.config.declaredSecrets(),
    };
  }
}
