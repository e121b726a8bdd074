// `terraform destroy` as the real databricks provider does it (terraform test, command = apply,
// then each file's teardown, which is a destroy): a binding's delete does nothing and leaves the
// workspace bound, and an NCC that still holds rules or that a workspace is bound to cannot be
// deleted (stand-in: standin/databricks.js). So a created NCC with bindings would be destroyed
// halfway: its accepters (the connections rejected), its rules and the routers go, then the NCC
// fails and stays. The library refuses that destroy at plan time (prevent_destroy on the NCC
// while it binds workspaces); the README's procedure (move the workspaces to another NCC, drop
// `workspaceIds`, destroy) then destroys everything; with an existing NCC the destroy succeeds and
// the workspaces stay bound to it.
import { TerraformResource } from "cdktf";
import { DatabricksNcc, DatabricksNccProps, PrivateLinkRouter } from "../../src";
import { hosts, stackWithProviders, SUBNETS, synth, VPC } from "./harness/scenarios";
import {
  appliedChanges, ConnectionAddresses, connectionAddresses, connectionOverrides, hclString, mockAws, runBlock, RunSpec, Sequence,
    stateResources, TestResult,
} from "./harness/sequence";
import { terraformAvailable } from "./harness/terraform";

const describeTf = terraformAvailable() ? describe : describe.skip;

const ACCOUNT_ID = "00000000-0000-0000-0000-000000000000";
/** The NCC the procedure moves its workspace to (a workspace cannot be unbound, only bound elsewhere). */
const LANDING_NCC = "0c0c0c0c-0000-4000-8000-000000000003";
/** An NCC made elsewhere, used by id. */
const EXISTING_NCC = "0d0d0d0d-0000-4000-8000-000000000004";
const WS = { unprotected: 3000000000000001, protected: 3000000000000002, procedure: 3000000000000003, existing: 3000000000000004 };

interface Version {
  readonly config: any;
  readonly a: ConnectionAddresses;
}

/** A one-shard router `<id>Router` connected to the NCC `<id>Ncc` (created, or existing by id). */
function version(id: string, props: Partial<DatabricksNccProps>, unprotected = false): Version {
  const { stack, databricks } = stackWithProviders();
  const lower = id.toLowerCase();
  const router = new PrivateLinkRouter(stack, `${id}Router`, { vpcId: VPC, subnetIds: SUBNETS, serviceName: lower, targets: hosts(2, 5432, lower) });
  const ncc = new DatabricksNcc(stack, `${id}Ncc`, { region: "us-east-1", routers: [router], provider: databricks, ...props });
  // The escape hatch the README names, to see what the destroy would do without the protection.
  if (unprotected) (ncc.node.findChild("Config") as TerraformResource).addOverride("lifecycle.prevent_destroy", false);
  return { config: synth(stack), a: connectionAddresses(router, ncc) };
}

/** A plain module that binds workspaces to an NCC, as another stack or the account console would. */
const MOVE_MODULE = `terraform {
  required_providers {
    databricks = { source = "databricks/databricks" }
  }
}

provider "databricks" {
  host       = "https://accounts.cloud.databricks.com"
  account_id = ${hclString(ACCOUNT_ID)}
}

variable "ncc_id" { type = string }
variable "workspace_ids" { type = list(number) }

resource "databricks_mws_ncc_binding" "moved" {
  for_each                       = { for w in var.workspace_ids : tostring(w) => w }
  network_connectivity_config_id = var.ncc_id
  workspace_id                   = each.value
}
`;

const is = (condition: string, message: string) => ({ condition, message });

describeTf("terraform destroy with bound workspaces (terraform test, stand-in account)", () => {
  const unprotected = version("Open", { name: "destroy-open", workspaceIds: [WS.unprotected] }, true);
  const bound = version("Bound", { name: "destroy-bound", workspaceIds: [WS.protected] });
  const procedure = version("Moved", { name: "destroy-moved", workspaceIds: [WS.procedure] });
  const unbound = version("Moved", { name: "destroy-moved" });
  const existing = version("Shared", { networkConnectivityConfigId: EXISTING_NCC, workspaceIds: [WS.existing] });
  const files: { [file: string]: RunSpec[] } = {};
  let seq: Sequence;
  let result: TestResult;
  const started = Date.now();

  /** Two applies (the second accepts the connection), then whatever the file adds; its teardown is the destroy. */
  const twoApplies = (prefix: string, module: string | undefined, v: Version): RunSpec[] => [
    { name: `${prefix}_first_apply`, ...(module ? { module } : {}), stateKey: "main", asserts: [is(`length(${v.a.rules[0]}.domain_names) == 2`, "the rule is created")] },
    { name: `${prefix}_second_apply_accepts`, ...(module ? { module } : {}), stateKey: "main", asserts: [is(`length(${v.a.accepter}) == 1`, "the connection is accepted")] },
  ];

  beforeAll(() => {
    seq = new Sequence("destroy");
    seq.writeVersion("unprotected", unprotected.config);
    seq.writeVersion("", bound.config); // the root module (terraform init installs the others from the test files)
    seq.writeVersion("procedure", procedure.config);
    seq.writeVersion("unbound", unbound.config);
    seq.writeVersion("existing", existing.config);
    seq.writeModule("move", { "main.tf": MOVE_MODULE });
    const ncc = (name: string) => ({ name, region: "us-east-1", account_id: ACCOUNT_ID, rules: {} });
    seq.writeAccount({ nccs: { [LANDING_NCC]: ncc("landing-ncc"), [EXISTING_NCC]: ncc("existing-ncc") }, bindings: {} });
    files["a_unprotected.tftest.hcl"] = twoApplies("unprotected", "./unprotected", unprotected);
    files["b_bound.tftest.hcl"] = twoApplies("bound", undefined, bound);
    files["c_procedure.tftest.hcl"] = [
      ...twoApplies("procedure", "./procedure", procedure),
      { name: "procedure_move_the_workspace_to_another_ncc", module: "./move", stateKey: "move",
        variables: { ncc_id: LANDING_NCC, workspace_ids: [WS.procedure] }, asserts: [is("length(databricks_mws_ncc_binding.moved) == 1", "the workspace is bound elsewhere")] },
      { name: "procedure_drop_workspace_ids", module: "./unbound", stateKey: "main",
        asserts: [is(`length(${unbound.a.accepter}) == 1`, "the connection stays accepted")] },
    ];
    files["d_existing.tftest.hcl"] = twoApplies("existing", "./existing", existing);
    const versions: { [file: string]: Version[] } = {
      "a_unprotected.tftest.hcl": [unprotected], "b_bound.tftest.hcl": [bound], "c_procedure.tftest.hcl": [procedure, unbound], "d_existing.tftest.hcl": [existing],
    };
    for (const [file, runs] of Object.entries(files)) {
      const overrides = Object.assign({}, ...versions[file].map((v) => connectionOverrides(v.a)));
      seq.writeTest(file, [mockAws(overrides), ...runs.map(runBlock)]);
    }
    seq.init();
    result = seq.test({ json: true, verbose: true, log: true });
  });

  afterAll(() => console.log(`destroy terraform test: ${result?.seconds.toFixed(1)} s in terraform test, ${((Date.now() - started) / 1000).toFixed(1)} s in all (${seq?.dir})`));

  const deletes = () => appliedChanges(result.log!).filter((o) => o.action === "Delete").map((o) => o.address);
  const errors = () => [...Object.values(result.runs).flatMap((r) => r.diagnostics), ...result.otherDiagnostics].filter((d) => d.severity === "error");
  const left = (file: string) => result.leftInState.filter((l) => l.startsWith(`${file}: `)).map((l) => l.slice(file.length + 2)).sort();
  const ofVersion = (v: Version, address: string) => address.startsWith(v.a.ncc!) || address.startsWith(v.a.bindings!) ||
    address.startsWith(v.a.accepter)
    || v.a.rules.some((r) => address.startsWith(r)) || v.a.services.some((s) => address.startsWith(s)) || address.includes(v.a.listener.split(".")[1]);

  test("every run passes", () => {
    const failed = Object.values(result.runs).filter((r) => r.status !== "pass").map((r) => `${r.name}: ${r.status}\n${r.diagnostics.map((d) => `${d.summary}: ${d.detail}`).join("\n")}`);
    expect(failed).toEqual([]);
    expect(Object.keys(result.runs)).toEqual(Object.values(files).flat().map((r) => r.name));
  });

  test("without the protection, the destroy removes the accepter, the rule and the router, then fails at the NCC, which a workspace is still bound to", () => {
    const order = deletes().filter((a) => ofVersion(unprotected, a));
    const at = (prefix: string) => order.findIndex((a) => a.startsWith(prefix));
    expect(order).toEqual(expect.arrayContaining([`${unprotected.a.bindings}["${WS.unprotected}"]`, unprotected.a.rules[0], unprotected.a.ncc, ...unprotected.a.services]));
    expect(at(unprotected.a.accepter)).toBeLessThan(at(unprotected.a.services[0]));
    expect(at(unprotected.a.bindings!)).toBeLessThan(at(unprotected.a.ncc!));
    expect(at(unprotected.a.rules[0])).toBeLessThan(at(unprotected.a.ncc!));
    const nccId = Object.entries<any>(seq.readAccount().nccs).find(([, n]) => n.name === "destroy-open")![0];
    expect(errors().map((d) => d.summary)).toContain(
      `cannot delete mws network connectivity config: Network Connectivity Config ${nccId} is unable to be deleted because it is attached to one or more workspaces: ${WS.unprotected}`);
    // Only the NCC (and its name claim, which depends on it) is left, empty and still bound.
    expect(left("a_unprotected.tftest.hcl").filter((l) => !l.startsWith("terraform_data."))).toEqual([unprotected.a.ncc]);
    expect(seq.readAccount().nccs[nccId].rules).toEqual({});
    expect(seq.readAccount().bindings[String(WS.unprotected)]).toBe(nccId);
  });

  test("with the protection (the library's default while it binds workspaces), the destroy fails at plan and destroys nothing", () => {
    expect(deletes().filter((a) => ofVersion(bound, a))).toEqual([]);
    const detail = errors().filter((d) => d.summary === "Instance cannot be destroyed").map((d) => d.detail);
    expect(detail).toContain(`Resource ${bound.a.ncc} has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed. To avoid this error and continue with the plan, either disable lifecycle.prevent_destroy or reduce the scope of the plan using the -target option.`);
    const stayed = left("b_bound.tftest.hcl");
    expect(stayed).toEqual(expect.arrayContaining([bound.a.ncc, bound.a.rules[0], `${bound.a.bindings}["${WS.protected}"]`, ...bound.a.services]));
    const nccId = Object.entries<any>(seq.readAccount().nccs).find(([, n]) => n.name === "destroy-bound")![0];
    expect(Object.keys(seq.readAccount().nccs[nccId].rules)).toHaveLength(1);
  });

  test("the procedure (move the workspaces to another NCC, drop workspaceIds, destroy) destroys everything", () => {
    const afterDrop = stateResources(result.runs.procedure_drop_workspace_ids.state);
    expect(Object.keys(afterDrop).filter((k) => k.startsWith("databricks_mws_ncc_binding."))).toEqual([]);
    expect(left("c_procedure.tftest.hcl")).toEqual([]);
    const account = seq.readAccount();
    expect(Object.values<any>(account.nccs).map((n) => n.name)).not.toContain("destroy-moved");
    expect(account.bindings[String(WS.procedure)]).toBe(LANDING_NCC);
  });

  test("with an existing NCC the destroy succeeds, and the workspaces stay bound to that NCC", () => {
    expect(left("d_existing.tftest.hcl")).toEqual([]);
    expect(deletes()).toEqual(expect.arrayContaining([existing.a.rules[0], `${existing.a.bindings}["${WS.existing}"]`]));
    const account = seq.readAccount();
    expect(account.nccs[EXISTING_NCC].rules).toEqual({});
    expect(account.bindings[String(WS.existing)]).toBe(EXISTING_NCC);
  });
});
