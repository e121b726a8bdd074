// A router and its NCC owned by two teams in two stacks (examples/two-teams): two network stacks
// plan and are "applied" (their state written from the plan, as the day-2 tests do); the
// Databricks stack reads them through cdktf's cross-stack remote state, plans one rule per
// shard on the routers' services, and, once Databricks has made the endpoints, its accepters.
import * as fs from "fs";
import * as path from "path";
import { App, Testing } from "cdktf";
import { twoTeamsApp } from "../../examples/two-teams/stacks";
import { defaultDns } from "./harness/scenarios";
import { converge, isNoop, pendingChanges, TerraformState } from "./harness/state";
import { planned, terraformAvailable, Workspace } from "./harness/terraform";

const describeTf = terraformAvailable() ? describe : describe.skip;

const NETWORKS = ["network-orders", "network-analytics"];

/** The synthesized stacks of the example app. */
function synthesized(): { [stack: string]: any } {
  const app = Testing.app() as App;
  twoTeamsApp(app);
  app.synth();
  const dir = (s: string) => path.join(app.outdir, "stacks", s, "cdk.tf.json");
  return Object.fromEntries([...NETWORKS, "databricks"].map((s) => [s, JSON.parse(fs.readFileSync(dir(s), "utf8"))]));
}

const instances = (state: TerraformState, type: string) => state.resources.filter((r) => r.type === type)
  .flatMap((r) => r.instances.map((i) => i.attributes));

describeTf("a router and its NCC in two stacks, two routers in two network stacks", () => {
  const stacks = synthesized();
  const networkStates: { [stack: string]: TerraformState } = {};
  let dbx: Workspace;
  let firstPlan: any;

  beforeAll(() => {
    // The network teams' stacks: planned, then their state written as an apply would (outputs included).
    for (const name of NETWORKS) {
      const ws = new Workspace(name);
      ws.writeStack(stacks[name]);
      ws.setDns(defaultDns(stacks[name]));
      ws.init();
      networkStates[name] = converge(ws, ws.plan()).state;
      // The Databricks stack reads this state where cdktf's local backend would keep it.
      const remote = Object.entries<any>(stacks.databricks.data.terraform_remote_state).find(([k]) => k.endsWith(name))!;
      remote[1].config.path = path.join(ws.dir, "terraform.tfstate");
    }
    dbx = new Workspace("databricks");
    dbx.writeStack(stacks.databricks);
    fs.writeFileSync(dbx.accountFile, JSON.stringify({ nccs: {}, bindings: {} }));
    dbx.init();
    firstPlan = dbx.plan();
  });

  test("each network stack exports its services' names, and nothing of Databricks", () => {
    for (const name of NETWORKS) {
      const outputs = Object.keys(networkStates[name].outputs).filter((k) => k.startsWith("cross-stack-output-aws_vpc_endpoint_service"));
      expect(outputs).toHaveLength(1);
      expect(instances(networkStates[name], "databricks_mws_ncc_private_endpoint_rule")).toEqual([]);
      expect(instances(networkStates[name], "aws_vpc_endpoint_service")[0].allowed_principals).toContain("arn:aws:iam::565502421330:role/private-connectivity-role-us-east-1");
    }
  });

  test("the Databricks stack plans one rule per shard, on the service each network stack made, with that shard's names", () => {
    const rules = planned(firstPlan, "databricks_mws_ncc_private_endpoint_rule").map((r) => r.values);
    const services = NETWORKS.map((n) => instances(networkStates[n], "aws_vpc_endpoint_service")[0].service_name);
    expect(rules.map((r) => r.endpoint_service).sort()).toEqual([...services].sort());
    expect(rules.map((r) => r.domain_names).sort()).toEqual([
      ["billing.cluster-c9d8e7f6a5b4.us-east-1.rds.amazonaws.com", "orders.cluster-c9d8e7f6a5b4.us-east-1.rds.amazonaws.com"],
      ["warehouse.corp.internal"],
    ]);
    expect(planned(firstPlan, "databricks_mws_ncc_binding")).toHaveLength(1);
    expect(planned(firstPlan, "aws_vpc_endpoint_connection_accepter")).toEqual([]);
    expect(planned(firstPlan, "aws_lb")).toEqual([]); // nothing of the routers' own
  });

  test("once Databricks has made the endpoints, the next plan accepts each connection in the network account", () => {
    const state = converge(dbx, firstPlan).state;
    const ncc = instances(state, "databricks_mws_network_connectivity_config")[0];
    const rules = instances(state, "databricks_mws_ncc_private_endpoint_rule");
    fs.writeFileSync(dbx.accountFile, JSON.stringify({
      nccs: {
        [ncc.network_connectivity_config_id]: {
          name: ncc.name, region: ncc.region, account_id: "00000000-0000-0000-0000-000000000000",
          rules: Object.fromEntries(rules.map((r, i) => [r.rule_id, {
            endpoint_service: r.endpoint_service, domain_names: r.domain_names,
            vpc_endpoint_id: `vpce-0123456789abcdef${i}`, connection_state: "PENDING", enabled: true,
          }])),
        },
      },
      bindings: {},
    }, null, 2));
    const second = dbx.plan();
    const accepters = (second.resource_changes ?? []).filter((c: any) => c.type === "aws_vpc_endpoint_connection_accepter");
    expect(accepters.map((c: any) => c.change.actions)).toEqual([["create"], ["create"]]);
    const serviceIds = NETWORKS.map((n) => instances(networkStates[n], "aws_vpc_endpoint_service")[0].id).sort();
    expect(accepters.map((c: any) => c.change.after.vpc_endpoint_service_id).sort()).toEqual(serviceIds);
    expect(accepters.every((c: any) => c.provider_name === "registry.terraform.io/hashicorp/aws")).toBe(true);
    const accepterConfig = second.configuration.root_module.resources.filter((r: any) => r.type === "aws_vpc_endpoint_connection_accepter");
    expect(accepterConfig.map((r: any) => r.provider_config_key)).toEqual(["aws.network", "aws.network"]);
    // Only the accepters change; the check block finds every rule pointing at a router's service.
    expect(Object.values(pendingChanges(second)).every((a) => a.join() === "create")).toBe(true);
    expect(isNoop(converge(dbx, second).noopPlan)).toBe(true);
  });
});
