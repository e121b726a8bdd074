// The name claim of an NCC this stack creates: a `terraform_data` that records, on the plan that
// first creates it, whether the account already had an NCC of that name, and fails that plan if so.
import {
  DataDatabricksMwsNetworkConnectivityConfigs,
} from "@cdktf/provider-databricks/lib/data-databricks-mws-network-connectivity-configs";
import { dependable, TerraformLocal, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { addressOf, escapeTemplate, expression, forEachOver } from "../core/expressions";
import { conditions } from "../core/cdktf-seam";
import { TerraformData } from "../core/terraform-data";

/** The names of every NCC of the account in the region (`Existing`, one per NCC construct), read on every plan. */
export function existingNccs(scope: Construct, region: string, provider?: TerraformProvider): DataDatabricksMwsNetworkConnectivityConfigs {
  return (scope.node.tryFindChild("Existing") as DataDatabricksMwsNetworkConnectivityConfigs | undefined)
    ?? new DataDatabricksMwsNetworkConnectivityConfigs(scope, "Existing", { region, provider });
}

/**
 * Claims the NCC's name before `ncc` is created (`ncc` gets a `depends_on` on the claim). The
 * claim has one instance, keyed by the name (a renamed NCC claims its new name afresh), whose
 * `input.taken` says whether `names` listed the name when the instance was created; later plans
 * keep that value (`ignore_changes`), when the name is listed because it is this NCC's. The
 * postcondition is known at plan time, so a taken name fails the plan before anything is made.
 * An imported claim has no `input`, and passes: importing it (with the NCC) adopts the NCC.
 * (Keyed by the name, not `triggers_replace`: an imported claim has no triggers, so Terraform
 * would replace it, and the new instance would find the name taken.)
 */
export function claimName(scope: Construct, ncc: TerraformResource, settings: TerraformLocal, names:
  DataDatabricksMwsNetworkConnectivityConfigs): TerraformData {
  const claim = new TerraformData(scope, "NameClaim", {
    forEach: forEachOver(`toset([${addressOf(settings)}.name])`),
    input: expression(`{ name = each.key, taken = contains(${addressOf(names, ".names")}, each.key) }`),
  });
  claim.lifecycle = {
    ignoreChanges: ["input"],
    postcondition: conditions(scope, [{
      condition: expression("try(!self.input.taken, true)"),
      // A template: the name is Terraform's (each.key); the addresses, path and stack are the library's text.
      errorMessage:
        `An NCC named "\${each.key}" already exists in this Databricks account but not in this Terraform state, ` +
        `so ${escapeTemplate(scope.node.path)} would create a second one. `
        + `Adopt it by importing it and this claim (with cdktf, in cdktf.out/stacks/${escapeTemplate(TerraformStack.of(scope).node.id)}): `
        + `terraform import '${addressOf(ncc)}' '<account_id>/<ncc_id>' && terraform import '${addressOf(claim)}["\${each.key}"]' ` +
          `'\${each.key}'; `
        + "or use it as it is: pass `networkConnectivityConfigId` (its id) instead of a name.",
    }]),
  };
  ncc.dependsOn = [...(ncc.dependsOn ?? []), dependable(claim)];
  return claim;
}
