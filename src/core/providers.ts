import { TerraformProvider, TerraformStack } from "cdktf";

/** The stack's default (alias-less) provider of a Terraform type (`aws`, `dns`, `databricks`), if any. */
export function findDefaultProvider(stack: TerraformStack, type: string): TerraformProvider | undefined {
  return stack.node.children.find((c): c is TerraformProvider =>
    c instanceof TerraformProvider && c.terraformResourceType === type && c.alias === undefined);
}
