// Day 1 and day 2 through `terraform test` (command = apply): the real aws provider's schema with
// `mock_provider "aws"`, and the stand-in dns and databricks providers as real processes, so the
// fake Databricks account remembers what earlier runs created. One `terraform test` holds every
// sequence (each run starts the 700 MB aws provider): acceptance over two applies, an existing
// NCC, a rule that points elsewhere, a target removed, a port changed, and destroy (after the
// workspaces are bound to another NCC and dropped from workspaceIds, as the README says).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DatabricksNcc, PrivateLinkRouter, RouterTarget } from "../../src";
import { hosts, stackWithProviders, SUBNETS, synth, TOKEN_VALUES, VPC } from "./harness/scenarios";
import {
  addComparisonOutputs, Assertion, appliedChanges, changes, ConnectionAddresses, accountFromState, stateFile, connectionAddresses,
    connectionOverrides,
  hclString, mockAws, raw, runBlock, RunSpec, Sequence, serviceValues, stateResources, SUBNET, TestResult,
} from "./harness/sequence";
import { terraformAvailable, Workspace } from "./harness/terraform";

const available = terraformAvailable();
const describeTf = available ? describe : describe.skip;

const ACCOUNT_ID = "00000000-0000-0000-0000-000000000000";
const EXISTING_NCC = TOKEN_VALUES.ncc_id;
/** The endpoint service of a rule nobody here made: another team's, or a leftover. */
const ELSEWHERE = "com.amazonaws.vpce.us-east-1.vpce-svc-0fffffffffffffff0";
const WORKSPACES = [1234567890123456, 2345678901234567];

/** A synthesized stack version and the addresses of its router's connection. */
interface Version {
  readonly config: any;
  readonly a: ConnectionAddresses;
  /** The "connections" output of the NCC. */
  readonly connectionsOutput: string;
  /** target name -> target group name (the name carries a hash of the port). */
  readonly targetGroupNames: { [name: string]: string };
}

/** A router ("Router", 2 targets per shard) connected to a new NCC with two workspaces. */
function connected(targets: RouterTarget[], portMapFile: string, workspaceIds = WORKSPACES): Version {
  const { stack, databricks } = stackWithProviders();
  const router = new PrivateLinkRouter(stack, "Router", { vpcId: VPC, subnetIds: SUBNETS, maxTargetsPerLoadBalancer: 2, portMapFile, targets });
  const ncc = new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [router], workspaceIds, provider: databricks });
  return version(synth(stack), connectionAddresses(router, ncc));
}

/** A one-shard router ("Shared") whose rule goes into an existing NCC, by id. */
function connectedToExisting(): Version {
  const { stack, databricks } = stackWithProviders();
  const router = new PrivateLinkRouter(stack, "Shared", { vpcId: VPC, subnetIds: SUBNETS, serviceName: "shared", targets: hosts(2, 3306, "ex") });
  const ncc = new DatabricksNcc(stack, "Existing", { region: "us-east-1", networkConnectivityConfigId: EXISTING_NCC, routers: [router], provider: databricks });
  return version(synth(stack), connectionAddresses(router, ncc));
}

function version(config: any, a: ConnectionAddresses): Version {
  addComparisonOutputs(config, a);
  if (!config.check?.[a.check.replace(/^check\./, "")]) throw new Error(`no ${a.check} in the synthesized stack`);
  const connectionsOutput = Object.keys(config.output).find((k) => /_connections_/.test(k))!;
  const targets = Object.entries<any>(config.locals).find(([k]) => /^Router_targets_|^Shared_targets_/.test(k))![1];
  const targetGroupNames = Object.fromEntries(Object.entries<any>(targets).map(([k, t]) => [k, t.target_group_name]));
  return { config, a, connectionsOutput, targetGroupNames };
}

/** A Terraform module that writes one private endpoint rule into an NCC (count = 0 deletes it). */
const FOREIGN_MODULE = `terraform {
  required_providers {
    databricks = { source = "databricks/databricks" }
  }
}

provider "databricks" {
  host       = "https://accounts.cloud.databricks.com"
  account_id = ${hclString(ACCOUNT_ID)}
}

variable "present" {
  type    = bool
  default = true
}
variable "ncc_id" { type = string }
variable "endpoint_service" { type = string }
variable "domain_names" { type = list(string) }

resource "databricks_mws_ncc_private_endpoint_rule" "foreign" {
  count                          = var.present ? 1 : 0
  network_connectivity_config_id = var.ncc_id
  endpoint_service               = var.endpoint_service
  domain_names                   = var.domain_names
}

output "rule_id" {
  value = try(databricks_mws_ncc_private_endpoint_rule.foreign[0].rule_id, null)
}
output "endpoint_service" {
  value = try(databricks_mws_ncc_private_endpoint_rule.foreign[0].endpoint_service, null)
}
`;

/**
 * A module that binds workspaces to another NCC: a workspace cannot be unbound, and an NCC a
 * workspace is bound to cannot be deleted, so the destroy needs this first (README, "Destroying").
 */
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

/** The stand-in account with one NCC made elsewhere (optionally with rules). */
function existingAccount(rules: { [id: string]: object } = {}): object {
  return {
    nccs: { [EXISTING_NCC]: { name: "existing-ncc", region: "us-east-1", account_id: ACCOUNT_ID, network_connectivity_config_id: EXISTING_NCC, rules } },
    bindings: {},
  };
}

const is = (condition: string, message: string): Assertion => ({ condition, message });

/** Assertions that every rule of `a` is accepted: one accepter per rule, with the rule's endpoint and its own shard's service. */
function acceptsEveryRule(a: ConnectionAddresses): Assertion[] {
  return [
    is(`length(${a.accepter}) == ${a.rules.length}`, `one accepter per rule (${a.rules.length})`),
    is(`tolist(keys(${a.accepter})) == sort([${a.rules.map((r) => `${r}.rule_id`).join(", ")}])`, "the accepters are keyed by the library's own rule ids"),
    ...a.rules.flatMap((r, k) => [
      is(`${a.accepter}[${r}.rule_id].vpc_endpoint_id == ${r}.vpc_endpoint_id && startswith(${a.accepter}[${r}.rule_id].vpc_endpoint_id, "vpce-")`,
        `shard ${k}: the accepter takes the endpoint id the account gave its rule`),
      is(`${a.accepter}[${r}.rule_id].vpc_endpoint_service_id == ${a.services[k]}.id && ${a.services[k]}.id == ${hclString(serviceValues(a.services[k]).id)}`,
        `shard ${k}: the accepter is on its own shard's endpoint service`),
      is(`${r}.connection_state == "PENDING"`, `shard ${k}: the rule is read back PENDING once Databricks made its endpoint`),
    ]),
  ];
}

/** Assertions on the first apply: rules created, answered CREATING without an endpoint, nothing accepted. */
function rulesCreatedNothingAccepted(a: ConnectionAddresses, nccId: string): Assertion[] {
  return [
    is(`length(${a.accepter}) == 0`, "nothing is accepted on the first apply"),
    ...a.rules.flatMap((r, k) => [
      is(`${r}.connection_state == "CREATING" && ${r}.vpc_endpoint_id == ""`, `shard ${k}: the rule is answered CREATING without an endpoint`),
      is(`${r}.endpoint_service == ${a.services[k]}.service_name && ${a.services[k]}.service_name == ${hclString(serviceValues(a.services[k]).service_name)}`,
        `shard ${k}: the rule points at its own shard's service`),
      is(`${r}.domain_names == tolist(${JSON.stringify(a.domains[k])})`, `shard ${k}: the rule carries its shard's hosts`),
      is(`${r}.network_connectivity_config_id == ${nccId}`, `shard ${k}: the rule is in the NCC`),
    ]),
  ];
}

describeTf("terraform test: day 1 and day 2 with the stand-in Databricks account", () => {
  let seq: Sequence;
  let result: TestResult;
  let v1: Version;
  let v2: Version;
  let v3: Version;
  let v4: Version;
  let ex: Version;
  let runs: RunSpec[];
  const started = Date.now();

  beforeAll(() => {
    const ports = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plr-ports-")), "ports.json");
    // v1: db0..db3, two per shard; v2: db1 (shard 0) removed; v3: db2's database port changed.
    v1 = connected(hosts(4), ports);
    v2 = connected(hosts(4).filter((t) => t.name !== "db1"), ports);
    v3 = connected(hosts(4).filter((t) => t.name !== "db1").map((t) => (t.name === "db2" ? { ...t, port: 5433 } : t)), ports);
    // v4: v3 without workspaceIds (their NCC's destroy protection lifted, after they are bound elsewhere).
    v4 = connected(hosts(4).filter((t) => t.name !== "db1").map((t) => (t.name === "db2" ? { ...t, port: 5433 } : t)), ports, []);
    ex = connectedToExisting();

    seq = new Sequence("sequences");
    seq.writeVersion("", v1.config);
    seq.writeVersion("v2", v2.config);
    seq.writeVersion("v3", v3.config);
    seq.writeVersion("v4", v4.config);
    seq.writeVersion("existing", ex.config);
    seq.writeModule("foreign", { "main.tf": FOREIGN_MODULE });
    seq.writeModule("move", { "main.tf": MOVE_MODULE });
    seq.writeAccount(existingAccount());

    const a = v1.a;
    const acc = a.accepter;
    const listener = a.listener;
    const tg = a.targetGroup;
    const first = "first_apply_accepts_nothing";
    const second = "second_apply_accepts_every_rule";
    const third = "third_apply_changes_nothing";
    const foreign = "a_rule_with_the_router_names_pointing_elsewhere_is_written_into_the_ncc";
    const removed = "removing_db1_keeps_the_other_ports_and_the_connections";
    const changedPort = "changing_db2_port_gives_its_target_group_the_new_port_and_name";
    const conn = v1.connectionsOutput;
    const access = Object.keys(v1.config.output).find((k) => k.includes("database_access"))!;
    const main = { stateKey: "main" };
    const unchanged = (run: string, outputs: string[]) => outputs.map((o) => is(`output.${o} == run.${run}.${o}`, `${o} are those of ${run}: nothing was replaced`));
    runs = [
      { name: first, ...main, asserts: [
        ...rulesCreatedNothingAccepted(a, `${a.ncc}.network_connectivity_config_id`),
        is(`${a.services[0]}.service_name != ${a.services[1]}.service_name`, "each shard has its own service"),
        is(`length(${a.bindings}) == 2 && alltrue([for b in values(${a.bindings}) : b.network_connectivity_config_id == ${a.ncc}.network_connectivity_config_id])`, "both workspaces are bound to the NCC"),
        is(`output.${access}["db2"].ports == ["tcp/5432"] && output.${access}["db2"].from_cidrs == ["${SUBNET.cidr_block}", "${SUBNET.cidr_block}"] && output.${access}["db2"].from_security_group == ${a.securityGroups[1]}.id`,
          "database_access: db2 (shard 1) admits tcp/5432 from both subnets' CIDRs, or from shard 1's security group"),
        is(`output.${access}["db2"].line == "${a.routes.db2.host}: allow tcp/5432 from ${SUBNET.cidr_block}, ${SUBNET.cidr_block} (or from security group \${${a.securityGroups[1]}.id} through Transit Gateway security group referencing, same region only)"`,
          "database_access: one line to hand db2's owner"),
      ] },
      { name: second, ...main, asserts: [...acceptsEveryRule(a), ...unchanged(first, ["rule_ids", "listener_ids", "target_group_ids"])] },
      { name: third, ...main, asserts: [is(`length(${acc}) == 2`, "still one accepter per rule"), ...unchanged(second, ["accepter_ids", "rule_ids", "listener_ids", "target_group_ids"])] },
      // Checked in Jest from the -verbose plan: every resource change is a no-op.
      { name: "plan_after_the_third_apply_is_a_no_op", command: "plan", ...main, asserts: [is(`length(${acc}) == 2`, "still one accepter per rule")] },

      { name: "existing_ncc_gets_the_rule_on_the_first_apply", stateKey: "existing", module: "./existing", asserts: [
        ...rulesCreatedNothingAccepted(ex.a, hclString(EXISTING_NCC)),
        is(`output.ncc_id == ${hclString(EXISTING_NCC)}`, "the NCC is the given one"),
      ] },
      { name: "existing_ncc_rule_is_accepted_on_the_second_apply", stateKey: "existing", module: "./existing", asserts: acceptsEveryRule(ex.a) },

      { name: foreign, stateKey: "foreign", module: "./foreign",
        variables: { ncc_id: raw(`run.${second}.ncc_id`), endpoint_service: ELSEWHERE, domain_names: [a.routes.db1.host] },
        asserts: [is(`output.endpoint_service == ${hclString(ELSEWHERE)} && output.rule_id != null`, "the rule exists, pointing elsewhere")] },
      { name: "a_rule_pointing_elsewhere_is_reported_and_not_accepted", ...main, expectFailures: [a.check], asserts: [
        is(`contains(keys(local.${a.check.replace(/^check\./, "").replace(/_point_at_router$/, "")}), run.${foreign}.rule_id)`, "the rule is read back and matched by the router's domain names"),
        is(`!contains(keys(${acc}), run.${foreign}.rule_id)`, "the rule pointing elsewhere is not accepted"),
        ...unchanged(second, ["accepter_ids"]),
      ] },
      { name: "the_rule_pointing_elsewhere_is_deleted", stateKey: "foreign", module: "./foreign",
        variables: { present: false, ncc_id: raw(`run.${second}.ncc_id`), endpoint_service: ELSEWHERE, domain_names: [a.routes.db1.host] },
        asserts: [is("output.rule_id == null", "the rule is gone")] },

      { name: removed, ...main, module: "./v2", asserts: [
        is(`!contains(keys(${listener}), "db1") && !contains(keys(${tg}), "db1")`, "db1's listener and target group are gone"),
        ...["db0", "db2", "db3"].map((n) => is(`${listener}["${n}"].port == ${a.routes[n].listenerPort} && ${listener}["${n}"].load_balancer_arn == ${a.loadBalancers[a.routes[n].shard]}.arn`,
          `${n} keeps listener port ${a.routes[n].listenerPort} on shard ${a.routes[n].shard}`)),
        is(`output.listener_ids == { for k, v in run.${third}.listener_ids : k => v if k != "db1" }`, "the other listeners are the same objects"),
        is(`output.target_group_ids == { for k, v in run.${third}.target_group_ids : k => v if k != "db1" }`, "the other target groups are the same objects"),
        is(`output.${conn} == [for c in run.${third}.${conn} : c if c.name != "db1"]`, "the other connections (domain name, port, shard) are unchanged"),
        is(`${a.rules[0]}.domain_names == tolist(["${a.routes.db0.host}"])`, "shard 0's rule lost db1's name (updated in place)"),
        ...unchanged(second, ["accepter_ids", "rule_ids"]),
      ] },
      // A mocked provider plans a replace-forcing change (port, name) as an in-place update: the
      // replacement itself is shown by the real provider's plan below, from this run's state.
      { name: changedPort, ...main, module: "./v3", asserts: [
        is(`${tg}["db2"].port == 5433`, "db2's target group has the new port"),
        is(`${tg}["db2"].name == ${hclString(v3.targetGroupNames.db2)} && ${tg}["db2"].name != run.${removed}.target_group_names["db2"]`, "db2's target group has a new name"),
        is(`${listener}["db2"].default_action[0].target_group_arn == ${tg}["db2"].arn`, "db2's listener forwards to its target group"),
        is(`${listener}["db2"].port == ${a.routes.db2.listenerPort}`, "db2 keeps its listener port"),
        is(`{ for k, v in output.target_group_ids : k => v if k != "db2" } == { for k, v in run.${removed}.target_group_ids : k => v if k != "db2" }`, "the other target groups are the same objects"),
        is(`{ for k, v in output.target_group_names : k => v if k != "db2" } == { for k, v in run.${removed}.target_group_names : k => v if k != "db2" }`, "the other target groups keep their names"),
        is(`output.listener_ids == run.${removed}.listener_ids`, "no listener was replaced"),
        is(`[for k in ["db0", "db3"] : ${listener}[k].default_action[0].target_group_arn] == [for k in ["db0", "db3"] : ${tg}[k].arn]`, "the other listeners still forward to their own target groups"),
        ...unchanged(second, ["accepter_ids", "rule_ids"]),
      ] },
      // Before the destroy (the teardown), as the README says: bind the workspaces to another NCC,
      // then drop workspaceIds; the bound NCC's destroy would otherwise be refused at plan.
      { name: "the_workspaces_are_bound_to_another_ncc", stateKey: "move", module: "./move",
        variables: { ncc_id: EXISTING_NCC, workspace_ids: WORKSPACES },
        asserts: [is("length(databricks_mws_ncc_binding.moved) == 2", "both workspaces are bound to the other NCC")] },
      { name: "dropping_workspace_ids_keeps_the_connections", ...main, module: "./v4", asserts: [
        ...unchanged(second, ["accepter_ids", "rule_ids"]),
        is(`output.listener_ids == run.${removed}.listener_ids`, "nothing of the router changes"),
      ] },
    ];
    const overrides = { ...connectionOverrides(v1.a), ...connectionOverrides(ex.a) };
    seq.writeTest("sequences.tftest.hcl", [mockAws(overrides), ...runs.map(runBlock)]);
    seq.init();
    result = seq.test({ json: true, verbose: true, log: true });
  });

  afterAll(() => {
    console.log(`terraform test sequences: ${result?.seconds.toFixed(1)} s in terraform test, ${((Date.now() - started) / 1000).toFixed(1)} s in all (${seq?.dir})`);
  });

  test("every run passes, in order, and the final destroy succeeds", () => {
    const failed = Object.values(result.runs).filter((r) => r.status !== "pass")
      .map((r) => `${r.name}: ${r.status}\n${r.diagnostics.map((d) => `${d.summary}: ${d.detail}`).join("\n")}`);
    expect(failed).toEqual([]);
    expect(Object.keys(result.runs)).toEqual(runs.map((r) => r.name));
    expect(result.leftInState).toEqual([]);
    // No error anywhere, the teardown's included (expected check failures are not reported as errors).
    const errors = [...Object.values(result.runs).flatMap((r) => r.diagnostics), ...result.otherDiagnostics].filter((d) => d.severity === "error");
    expect(errors).toEqual([]);
    expect(result.summary).toMatchObject({ status: "pass", passed: runs.length, failed: 0, errored: 0, skipped: 0 });
    expect(result.status).toBe(0);
  });

  test("the plan after the third apply is a no-op", () => {
    expect(changes(result.runs.plan_after_the_third_apply_is_a_no_op.plan)).toEqual([]);
  });

  test("accepters are created once, on the second apply, and never replaced", () => {
    const accepters = (run: string) => Object.keys(stateResources(result.runs[run].state)).filter((k) => k.startsWith(`${v1.a.accepter}[`)).sort();
    expect(accepters("first_apply_accepts_nothing")).toEqual([]);
    const accepted = accepters("second_apply_accepts_every_rule");
    expect(accepted).toHaveLength(2);
    for (const run of ["third_apply_changes_nothing", "a_rule_pointing_elsewhere_is_reported_and_not_accepted",
      "removing_db1_keeps_the_other_ports_and_the_connections", "changing_db2_port_gives_its_target_group_the_new_port_and_name",
      "dropping_workspace_ids_keeps_the_connections"]) {
      expect([run, accepters(run)]).toEqual([run, accepted]);
    }
    const ops = appliedChanges(result.log!).filter((o) => o.address.startsWith("aws_vpc_endpoint_connection_accepter."));
    expect(ops.filter((o) => o.action === "Create")).toHaveLength(3);
    expect(ops.filter((o) => o.action === "Delete")).toHaveLength(3);
    expect(ops.filter((o) => o.action === "Update")).toEqual([]);
  });

  test("the destroy removes every accepter before its router's endpoint services", () => {
    // The state records the library's depends_on from the accepters to the services...
    const state = stateResources(result.runs.changing_db2_port_gives_its_target_group_the_new_port_and_name.state);
    const accepter = Object.entries(state).find(([k]) => k.startsWith(`${v1.a.accepter}[`))![1];
    expect(accepter.depends_on).toEqual(expect.arrayContaining(v1.a.services));
    // ...and Terraform's own log shows the order of the destroy operations.
    const ops = appliedChanges(result.log!).filter((o) => o.action === "Delete");
    for (const version of [v1, ex]) {
      const at = (prefix: string) => ops.map((o, i) => (o.address.startsWith(prefix) ? i : -1)).filter((i) => i >= 0);
      const accepters = at(`${version.a.accepter}[`);
      const services = version.a.services.flatMap((s) => at(s));
      expect(accepters.length).toBeGreaterThan(0);
      expect(services).toHaveLength(version.a.services.length);
      expect(Math.max(...accepters)).toBeLessThan(Math.min(...services));
    }
  });

  test("the real aws provider, from the state after the removal, replaces db2's target group before destroying it and updates its listener in place", () => {
    // The mock cannot show a replacement (see the run above); the real provider's plan can.
    const ws = new Workspace("port-change-real-plan");
    ws.writeStack(v3.config);
    fs.writeFileSync(path.join(ws.dir, "dns.json"), fs.readFileSync(seq.ws.dnsFile));
    const state = result.runs.removing_db1_keeps_the_other_ports_and_the_connections.state;
    fs.writeFileSync(path.join(ws.dir, "terraform.tfstate"), JSON.stringify(stateFile(state), null, 2));
    fs.writeFileSync(ws.accountFile, JSON.stringify(accountFromState(state), null, 2));
    ws.init();
    const plan = ws.plan();
    const byAddress = Object.fromEntries(changes(plan).map((c) => [c.address, c.actions]));
    const { targetGroup: tg, listener } = v1.a;
    const attachment = Object.keys(byAddress).find((k) => k.startsWith("aws_lb_target_group_attachment."))!;
    const egress = Object.keys(byAddress).filter((k) => k.startsWith("aws_vpc_security_group_egress_rule.")).sort();
    // Replaced, the new one first (create_before_destroy); the listener moves to it in place.
    expect(byAddress[`${tg}["db2"]`]).toEqual(["create", "delete"]);
    expect(attachment).toMatch(/\["db2\/10\.[0-9.]+"\]$/);
    expect(byAddress[attachment]).toEqual(["create", "delete"]);
    expect(byAddress[`${listener}["db2"]`]).toEqual(["update"]);
    const listenerChange = plan.resource_changes.find((c: any) => c.address === `${listener}["db2"]`).change;
    expect(listenerChange.after_unknown.default_action[0].target_group_arn).toBe(true);
    expect(egress.map((k) => [k.replace(/.*\/tcp:/, "tcp:"), byAddress[k]])).toEqual([["tcp:5432\"]", ["delete"]], ["tcp:5433\"]", ["create"]]]);
    // Nothing else of the router or the connection changes. (The load balancers show in-place
    // updates of defaults the mock left null; no replacement.)
    const others = Object.entries(byAddress).filter(([k]) => ![`${tg}["db2"]`, attachment, `${listener}["db2"]`, ...egress].includes(k));
    expect(others.filter(([k]) => !v1.a.loadBalancers.includes(k))).toEqual([]);
    expect(new Set(others.map(([, actions]) => actions.join(",")))).toEqual(new Set(["update"]));
  });

  test("the Databricks account holds nothing of the tests afterwards but the workspaces, bound to the NCC they were moved to", () => {
    // The workspaces stay bound to the NCC they were moved to: a binding cannot be undone.
    expect(seq.readAccount()).toEqual({
      nccs: { [EXISTING_NCC]: expect.objectContaining({ name: "existing-ncc", rules: {} }) },
      bindings: Object.fromEntries(WORKSPACES.map((w) => [String(w), EXISTING_NCC])),
    });
  });
});

describeTf("terraform plan: a rule with the router's domain names pointing elsewhere before the first apply", () => {
  // Limitation, found by these tests: on a first plan every endpoint service name is unknown, so
  // `contains(<services>, r.endpoint_service)` is unknown for such a rule and the accepters'
  // for_each cannot be planned. The first plan fails instead of accepting nothing.
  test("the first plan fails with Invalid for_each argument (known limitation)", () => {
    const config = connectedToExisting().config;
    const ws = new Workspace("stray-rule-first-plan");
    ws.writeStack(config);
    ws.setDns(Object.fromEntries(hosts(2, 3306, "ex").map((t) => [t.host!, ["10.1.2.3"]])));
    fs.writeFileSync(ws.accountFile, JSON.stringify(existingAccount({
      "11111111-2222-3333-4444-555555555555": {
        endpoint_service: ELSEWHERE, domain_names: ["ex0.internal.example.com"], vpc_endpoint_id: "vpce-0123456789abcdef0", connection_state: "PENDING",
      },
    })));
    ws.init();
    const error = ws.planError();
    expect(error).toMatch(/Invalid for_each argument/);
    expect(error).toMatch(/aws_vpc_endpoint_connection_accepter\.Existing_SharedAccept/);
  });
});
