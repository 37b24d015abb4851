import type { Construct } from "constructs";
import { ImportableResource, type TerraformMetaArguments, type TerraformProvider } from "./cdk";
import { ProviderResource, type ResourceAttribute } from "./provider-resource";

/** Attributes of `ghsecrets_environment_secret`, in the provider's terms (no checks, no defaults). */
export interface EnvironmentSecretResourceConfig extends TerraformMetaArguments {
  /** `repository`: `owner/name`. Changing it replaces the secret. */
  readonly repository: string;
  /** `environment`: name of the GitHub environment. Changing it replaces the secret. */
  readonly environment: string;
  /** `secret_name`. Changing it replaces the secret. */
  readonly secretName: string;
  /** `value`: write-only (Terraform ≥ 1.11), never stored in plan or state. */
  readonly value?: string;
  /** `value_env`: environment variable the provider reads at plan/apply time. */
  readonly valueEnv?: string;
  /** `value_json_key`: with `valueEnv`, the member of the JSON object in that variable holding the value. */
  readonly valueJsonKey?: string;
  /** `encrypted_value`: base64 sealed box for the environment's public key. */
  readonly encryptedValue?: string;
  /** `key_id`: id of the key `encryptedValue` was sealed with. */
  readonly keyId?: string;
  /** `allow_empty`: write an empty value instead of refusing it at plan. */
  readonly allowEmpty?: boolean;
}

/**
 * L1 binding of the `ghsecrets_environment_secret` resource, one-to-one with the provider schema.
 * Prefer the `EnvironmentSecret` construct, which validates its input and picks the value attributes
 * from a `SecretValue`; reach this one through `EnvironmentSecret.resource` for escape hatches
 * (`lifecycle`, `addOverride`, `dependsOn`).
 */
export class EnvironmentSecretResource extends ProviderResource<EnvironmentSecretResourceConfig> {
  /** Resource type, as used by `Testing` matchers (`toHaveResourceWithProperties(EnvironmentSecretResource, ...)`). */
  public static readonly tfResourceType = "ghsecrets_environment_secret";

  /**
   * cdktf's import API: an `import` block for an existing secret with no configuration yet, so that
   * `terraform plan -generate-config-out=generated.tf` writes one. `importFromId` is
   * `owner/repo:environment:SECRET_NAME`.
   */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: TerraformProvider,
  ): ImportableResource {
    return new ImportableResource(scope, importToId, {
      terraformResourceType: EnvironmentSecretResource.tfResourceType,
      importId: importFromId,
      provider,
    });
  }

  public constructor(scope: Construct, id: string, config: EnvironmentSecretResourceConfig) {
    super(scope, id, EnvironmentSecretResource.tfResourceType, config);
  }

  /** `id`: `owner/repo:environment:SECRET_NAME`, the same form `terraform import` takes. */
  public get id(): string {
    return this.getStringAttribute("id");
  }

  /** `value_fingerprint`: changes whenever the value changes; does not reveal the value. */
  public get valueFingerprint(): string {
    return this.getStringAttribute("value_fingerprint");
  }

  /** `created_at`, as GitHub reports it (ISO 8601). */
  public get createdAt(): string {
    return this.getStringAttribute("created_at");
  }

  /** `updated_at`, as GitHub reports it (ISO 8601). */
  public get updatedAt(): string {
    return this.getStringAttribute("updated_at");
  }

  protected attributes(): Record<string, ResourceAttribute> {
    const c = this.config;
    return {
      repository: c.repository,
      environment: c.environment,
      secret_name: c.secretName,
      value: c.value,
      value_env: c.valueEnv,
      value_json_key: c.valueJsonKey,
      encrypted_value: c.encryptedValue,
      key_id: c.keyId,
      allow_empty: c.allowEmpty,
    };
  }
}
