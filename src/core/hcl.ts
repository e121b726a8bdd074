import { App, TerraformCondition } from "cdktf";
import { IConstruct } from "constructs";

// cdktf 0.21 can write HCL (`cdktf synth --hcl`, or `new App({ hclOutput: true })`), but its
// renderer has two gaps this library works around, so that both outputs are valid Terraform:
// - a null inside an object literal crashes it: there nulls are written `${null}`, the same value
//   (`literal()` in expressions.ts does it for the locals maps);
// - it writes lifecycle pre- and postconditions as attributes, which Terraform rejects: there
//   the conditions (extra plan-time checks, not behaviour) are left out.

/** Whether the app writes HCL. */
export function isHcl(scope: IConstruct): boolean {
  return App.of(scope).hclOutput;
}

/** Lifecycle conditions, or none where cdktf's HCL renderer would write them wrongly. */
export function conditions(scope: IConstruct, list: TerraformCondition[]): TerraformCondition[] | undefined {
  return isHcl(scope) ? undefined : list;
}
