// The NCC's name claim judged by Terraform: a fresh account (created once, later plans keep the
// claim), a rename (the new name claimed afresh), and an account that already has the name (the
// plan fails, nothing is made; importing the NCC and the claim, or passing its id, fixes it).
import * as fs from "fs";
import { TerraformResource } from "cdktf";
import { DatabricksNcc, DatabricksNccProps, PrivateLinkRouter } from "../../src";
import { defaultDns, hosts, stackWithProviders, SUBNETS, synth, VPC } from "./harness/scenarios";
import { addressOf, changes, connectionAddresses, connectionOverrides, hclString, mockAws, runBlock, RunSpec, Sequence, stateResources, TestResult } from "./harness/sequence";
import { terraformAvailable, Workspace } from "./harness/terraform";

const describeTf = terraformAvailable() ? describe : describe.skip;

const ACCOUNT_ID = "00000000-0000-0000-0000-000000000000";
const FIRST = "ncc-lifecycle-a";
const RENAMED = "ncc-lifecycle-b";
/** An NCC of the account that no stack here made. */
const OTHER = { "0b0b0b0b-0000-4000-8000-000000000001": { name: "someone-elses-ncc", region: "us-east-1", account_id: ACCOUNT_ID } };
const TAKEN_ID = "0a0a0a0a-0000-4000-8000-000000000002";

/** A one-shard router connected to an NCC (named, or an existing one by id), and the addresses the tests use. */
function version(props: Partial<DatabricksNccProps>) {
  const { stack, databricks } = stackWithProviders();
  const router = new PrivateLinkRouter(stack, "Router", { vpcId: VPC, subnetIds: SUBNETS, targets: hosts(2) });
  const ncc = new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [router], provider: databricks, ...props });
  const claim = ncc.node.tryFindChild("NameClaim") as TerraformResource | undefined;
  const a = connectionAddresses(router, ncc);
  const config = synth(stack);
  const names = `data.databricks_mws_network_connectivity_configs.${Object.keys(config.data.databricks_mws_network_connectivity_configs)[0]}.names`;
  if (claim) config.output = { ...config.output, claims: { value: `\${{ for k, c in ${addressOf(claim)} : k => { id = c.id, taken = try(c.input.taken, null) } }}` } };
  return { config, a, claim: claim ? addressOf(claim) : undefined, names };
}

describeTf("the name claim through apply, plan and rename (terraform test, stand-in account)", () => {
  const first = version({ name: FIRST });
  const renamed = version({ name: RENAMED });
  const claim = first.claim!;
  const is = (condition: string, message: string) => ({ condition, message });
  const runs: RunSpec[] = [
    { name: "fresh_account_apply_creates_the_ncc_and_its_claim", asserts: [
      is(`keys(${claim}) == [${hclString(FIRST)}] && ${claim}[${hclString(FIRST)}].input.taken == false`, "the name was free when it was claimed"),
      is(`${first.a.ncc}.name == ${hclString(FIRST)}`, "the NCC is created"),
    ] },
    { name: "second_apply_accepts_and_keeps_the_claim", asserts: [
      is(`output.claims == run.fresh_account_apply_creates_the_ncc_and_its_claim.claims`, "the claim is the same object, still taken = false"),
    ] },
    { name: "plan_after_it_is_a_no_op", command: "plan" as const, asserts: [
      is(`contains(${first.names}, ${hclString(FIRST)})`, "the account now lists the name (it is this NCC's)..."),
      is(`${claim}[${hclString(FIRST)}].input.taken == false`, "...and the claim keeps what it recorded at creation"),
    ] },
    { name: "rename_claims_the_new_name", module: "./renamed", asserts: [
      is(`keys(${claim}) == [${hclString(RENAMED)}] && ${claim}[${hclString(RENAMED)}].input.taken == false`, "the new name is claimed afresh, the old claim is gone"),
      is(`${first.a.ncc}.name == ${hclString(RENAMED)}`, "the NCC has the new name"),
    ] },
    { name: "plan_after_the_rename_keeps_the_claim", command: "plan" as const, module: "./renamed", asserts: [
      is(`contains(${first.names}, ${hclString(RENAMED)}) && ${claim}[${hclString(RENAMED)}].input.taken == false`, "the new name is listed, the claim passes"),
    ] },
  ].map((r): RunSpec => ({ ...r, stateKey: "main" }));
  let seq: Sequence;
  let result: TestResult;
  const started = Date.now();

  beforeAll(() => {
    seq = new Sequence("ncc-lifecycle");
    seq.writeVersion("", first.config);
    seq.writeVersion("renamed", renamed.config);
    seq.writeAccount({ nccs: OTHER, bindings: {} });
    seq.writeTest("lifecycle.tftest.hcl", [mockAws(connectionOverrides(first.a)), ...runs.map(runBlock)]);
    seq.init();
    result = seq.test({ json: true, verbose: true });
  });

  afterAll(() => console.log(`ncc lifecycle terraform test: ${result?.seconds.toFixed(1)} s in terraform test, ${((Date.now() - started) / 1000).toFixed(1)} s in all (${seq?.dir})`));

  test("every run passes and the destroy leaves the account as it was", () => {
    const failed = Object.values(result.runs).filter((r) => r.status !== "pass").map((r) => `${r.name}: ${r.status}\n${r.diagnostics.map((d) => `${d.summary}: ${d.detail}`).join("\n")}`);
    expect(failed).toEqual([]);
    expect(Object.keys(result.runs)).toEqual(runs.map((r) => r.name));
    expect(result.summary).toMatchObject({ status: "pass", passed: runs.length, failed: 0, errored: 0 });
    expect(result.leftInState).toEqual([]);
    expect(Object.values<any>(seq.readAccount().nccs).map((n) => n.name)).toEqual(["someone-elses-ncc"]);
  });

  test("the plan after the second apply is a no-op: the claim is not touched although its name is now listed", () => {
    expect(changes(result.runs.plan_after_it_is_a_no_op.plan)).toEqual([]);
  });

  test("the rename replaces the NCC and swaps the claim instances; the next plan leaves the claim alone", () => {
    const state = stateResources(result.runs.rename_claims_the_new_name.state);
    expect(Object.keys(state).filter((k) => k.startsWith(`${claim}[`))).toEqual([`${claim}[${hclString(RENAMED)}]`]);
    expect(changes(result.runs.plan_after_the_rename_keeps_the_claim.plan)
      .filter((c) => c.address.startsWith(claim) || c.address === first.a.ncc)).toEqual([]);
  });
});

describeTf("the name claim when the account already has an NCC of that name (plain terraform, real aws provider)", () => {
  const taken = version({ name: FIRST });
  const byId = version({ networkConnectivityConfigId: TAKEN_ID });
  const account = { nccs: { ...OTHER, [TAKEN_ID]: { name: FIRST, region: "us-east-1", account_id: ACCOUNT_ID } }, bindings: {} };
  const ncc = taken.a.ncc!;
  const claim = `${taken.claim}[${hclString(FIRST)}]`;
  let ws: Workspace;

  beforeAll(() => {
    ws = new Workspace("ncc-name-taken");
    ws.writeStack(taken.config);
    ws.setDns(defaultDns(taken.config));
    fs.writeFileSync(ws.accountFile, JSON.stringify(account));
    ws.init();
  });

  test("apply fails at plan time with the message, and creates nothing", () => {
    const run = ws.terraform(["apply", "-auto-approve", "-input=false", "-no-color"], { allowFailure: true });
    const out = (run.stderr + run.stdout).replace(/│/g, " ").replace(/\s+/g, " "); // unwrapped
    expect(run.status).not.toBe(0);
    expect(out).toContain("Resource postcondition failed");
    expect(out).toContain(`An NCC named "${FIRST}" already exists in this Databricks account but not in this Terraform state, so s/Ncc would create a second one.`);
    expect(out).toContain(`terraform import '${ncc}' '<account_id>/<ncc_id>' && terraform import '${claim}' '${FIRST}'`);
    expect(out).toContain("pass `networkConnectivityConfigId` (its id) instead of a name");
    expect(out).not.toMatch(/Creation complete|Apply complete/);
    const state = fs.existsSync(`${ws.dir}/terraform.tfstate`) ? JSON.parse(fs.readFileSync(`${ws.dir}/terraform.tfstate`, "utf8")) : { resources: [] };
    expect(state.resources.filter((r: any) => r.mode === "managed")).toEqual([]);
    expect(JSON.parse(fs.readFileSync(ws.accountFile, "utf8"))).toEqual(account);
  });

  test("fix 1: importing the NCC alone is not enough; importing the claim too adopts it", () => {
    ws.terraform(["import", "-no-color", "-input=false", ncc, `${ACCOUNT_ID}/${TAKEN_ID}`]);
    expect(ws.planError()).toContain(`An NCC named "${FIRST}" already exists`);
    ws.terraform(["import", "-no-color", "-input=false", claim, FIRST]);
    const plan = ws.plan();
    const byAddress = Object.fromEntries((plan.resource_changes ?? []).map((c: any) => [c.address, c.change.actions]));
    expect(byAddress[ncc]).toEqual(["no-op"]);
    expect(byAddress[claim]).toEqual(["no-op"]);
    expect(Object.keys(byAddress).filter((k) => k.startsWith(taken.claim!))).toEqual([claim]);
    // The rest of the stack is planned as usual: the router and a rule in the adopted NCC.
    expect(byAddress[taken.a.rules[0]]).toEqual(["create"]);
    expect(plan.resource_changes.find((c: any) => c.address === taken.a.rules[0]).change.after.network_connectivity_config_id)
      .toBe(TAKEN_ID);
  });

  test("fix 2: passing networkConnectivityConfigId plans no NCC and no claim", () => {
    const other = new Workspace("ncc-name-taken-by-id");
    other.writeStack(byId.config);
    other.setDns(defaultDns(byId.config));
    fs.writeFileSync(other.accountFile, JSON.stringify(account));
    other.init();
    const plan = other.plan();
    const types = new Set((plan.resource_changes ?? []).map((c: any) => c.type));
    expect(types.has("terraform_data")).toBe(false);
    expect(types.has("databricks_mws_network_connectivity_config")).toBe(false);
    expect(types.has("databricks_mws_ncc_private_endpoint_rule")).toBe(true);
  });
});
