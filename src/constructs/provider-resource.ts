import type { Construct } from "constructs";
import { TerraformResource, type TerraformMetaArguments } from "./cdk";
import { hclAttributes } from "./hcl-attributes";

/** An attribute value of this provider's resources, as synthesized. */
export type ResourceAttribute = string | number | boolean | string[] | undefined;

/**
 * What every L1 binding of a `ghsecrets_*` resource shares, like cdktf's generated bindings: the
 * meta-arguments passed to Terraform, and JSON and HCL synthesis from one attribute map in the
 * provider's names (unset ones left out of HCL).
 */
export abstract class ProviderResource<Config extends TerraformMetaArguments> extends TerraformResource {
  protected constructor(
    scope: Construct,
    id: string,
    terraformResourceType: string,
    protected readonly config: Config,
  ) {
    super(scope, id, {
      terraformResourceType,
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
      provisioners: config.provisioners,
      connection: config.connection,
    });
  }

  /** The resource's arguments under the provider's attribute names. */
  protected abstract attributes(): Record<string, ResourceAttribute>;

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return this.attributes();
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return hclAttributes(this.attributes());
  }
}
