// A `terraform_data` resource (Terraform's built-in provider) through cdktf's generic class:
// cdktf's own `DataResource` runs `terraform version` on every synthesis to check for 1.4,
// which costs ~80 ms and fails an app synthesized where terraform is not installed.
import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, TerraformMetaArguments, TerraformResource } from "cdktf";
import { Construct } from "constructs";

/** `resource "terraform_data"` with an `input` (a map, or an expression token). */
export class TerraformData extends TerraformResource {
  constructor(scope: Construct, id: string, private readonly config: TerraformMetaArguments & { input: any }) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" }, ...config });
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { input: hashMapper(anyToTerraform)(this.config.input) };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return { input: hashMapperHcl(anyToHclTerraform)(this.config.input) };
  }
}
