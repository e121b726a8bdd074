// The name claim of a created NCC (src/databricks/name-claim.ts): its terraform_data, the NCC's
// depends_on, the shared `Existing` data source, and no user text inside expressions.
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { DatabricksNcc, DatabricksNccProps, PrivateLinkRouter } from "../../src";
import { dnsTargets, local, newStack, only, routerProps, synth } from "../helpers";

let stack: TerraformStack;
let provider: DatabricksProvider;
beforeEach(() => {
  const s = newStack();
  stack = s.stack;
  provider = s.databricks!;
});

/** A name made to be recognised if it ever lands in expression text. */
const NAME = "claimed-Zq9_ncc";
const ncc = (props: Partial<DatabricksNccProps> = {}) => new DatabricksNcc(stack, "Ncc", { region: "us-east-1", provider, ...props });
const router = () => new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(2) }));
const claimKey = (json: any) => Object.keys(json.resource.terraform_data ?? {})[0];

/** Every string of a synthesized stack that Terraform reads as an expression or template. */
function expressions(value: unknown): string[] {
  if (typeof value === "string") return value.includes("${") ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === "object") return Object.values(value).flatMap(expressions);
  return [];
}

describe("a created NCC claims its name", () => {
  test("one terraform_data per name: input from the settings local and the Existing names, kept by ignore_changes", () => {
    ncc({ name: NAME });
    const json = synth(stack);
    const claim = only(json, "terraform_data");
    const settings = Object.keys(json.locals).find((k) => /^Ncc_settings_[0-9A-F]{8}$/.test(k))!;
    const existing = Object.keys(json.data.databricks_mws_network_connectivity_configs);
    expect(existing).toEqual([expect.stringMatching(/^Ncc_Existing_[0-9A-F]{8}$/)]);
    expect(local(json, "Ncc_settings").name).toBe(NAME);
    expect(claimKey(json)).toMatch(/^Ncc_NameClaim_[0-9A-F]{8}$/);
    expect(claim.for_each).toBe(`\${toset([local.${settings}.name])}`);
    expect(claim.input).toBe(`\${{ name = each.key, taken = contains(data.databricks_mws_network_connectivity_configs.${existing[0]}.names, each.key) }}`);
    expect(claim.lifecycle.ignore_changes).toEqual(["input"]);
    // Keyed by the name, so a rename is a new instance: no triggers_replace (it would also replace an imported claim).
    expect(claim.triggers_replace).toBeUndefined();
    expect(claim.provider).toBeUndefined();
  });

  test("the postcondition fails on a taken name, with a message that names the NCC and both fixes", () => {
    ncc({ name: NAME });
    const json = synth(stack);
    const [post] = only(json, "terraform_data").lifecycle.postcondition;
    const nccAddress = `databricks_mws_network_connectivity_config.${Object.keys(json.resource.databricks_mws_network_connectivity_config)[0]}`;
    expect(post.condition).toBe("${try(!self.input.taken, true)}");
    expect(post.error_message).toBe(
      "An NCC named \"${each.key}\" already exists in this Databricks account but not in this Terraform state, so test/Ncc would create a second one. "
      + "Adopt it by importing it and this claim (with cdktf, in cdktf.out/stacks/test): "
      + `terraform import '${nccAddress}' '<account_id>/<ncc_id>' && terraform import 'terraform_data.${claimKey(json)}["\${each.key}"]' '\${each.key}'; `
      + "or use it as it is: pass `networkConnectivityConfigId` (its id) instead of a name.");
  });

  test("the NCC depends on the claim", () => {
    ncc({ name: NAME });
    const json = synth(stack);
    expect(only(json, "databricks_mws_network_connectivity_config").depends_on).toEqual([`terraform_data.${claimKey(json)}`]);
  });

  test("the default name is claimed too, and acceptance shares the one Existing data source", () => {
    ncc({ routers: [router()] });
    const json = synth(stack);
    expect(local(json, "Ncc_settings").name).toMatch(/^ncc-Ncc-[0-9a-f]{6}$/);
    const [existing] = Object.keys(json.data.databricks_mws_network_connectivity_configs);
    expect(Object.keys(json.data.databricks_mws_network_connectivity_configs)).toHaveLength(1);
    expect(only(json, "terraform_data").input).toContain(`data.databricks_mws_network_connectivity_configs.${existing}.names`);
    expect(only(json, "databricks_mws_network_connectivity_config", "data").for_each).toContain(`data.databricks_mws_network_connectivity_configs.${existing}.names`);
  });

  test("the user's name never enters expression text", () => {
    ncc({ name: NAME, routers: [router()], workspaceIds: [1234567890123456] });
    const json = synth(stack);
    const found = expressions(json).filter((e) => e.includes(NAME));
    expect(found).toEqual([]);
    expect(expressions(json).some((e) => e.includes("each.key"))).toBe(true);
  });

  test("HCL output keeps the claim and ignore_changes but not the postcondition (cdktf would write it wrongly)", () => {
    const app = new App({ hclOutput: true, outdir: Testing.app().outdir });
    stack = new TerraformStack(app, "hcl");
    provider = new DatabricksProvider(stack, "databricks", { host: "https://accounts.cloud.databricks.com", accountId: "0" });
    ncc({ name: NAME });
    const claim = only(JSON.parse(Testing.synth(stack)), "terraform_data");
    expect(claim.lifecycle).toEqual({ ignore_changes: ["input"] });
  });
});

describe("an existing NCC (networkConnectivityConfigId) claims nothing", () => {
  const id = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";

  test("no terraform_data and no depends_on; acceptance still reads Existing", () => {
    ncc({ networkConnectivityConfigId: id, routers: [router()] });
    const json = synth(stack);
    expect(json.resource.terraform_data).toBeUndefined();
    expect(json.resource.databricks_mws_network_connectivity_config).toBeUndefined();
    expect(Object.keys(json.data.databricks_mws_network_connectivity_configs)).toEqual([expect.stringMatching(/^Ncc_Existing_[0-9A-F]{8}$/)]);
  });

  test("without a router nothing reads the NCC names", () => {
    ncc({ networkConnectivityConfigId: id });
    const json = synth(stack);
    expect(json.resource?.terraform_data).toBeUndefined();
    expect(json.data?.databricks_mws_network_connectivity_configs).toBeUndefined();
  });
});
