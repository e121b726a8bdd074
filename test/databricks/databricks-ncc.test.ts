import * as fs from "fs";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MwsNccBinding } from "@cdktf/provider-databricks/lib/mws-ncc-binding";
import { MwsNccPrivateEndpointRule } from "@cdktf/provider-databricks/lib/mws-ncc-private-endpoint-rule";
import { MwsNetworkConnectivityConfig } from "@cdktf/provider-databricks/lib/mws-network-connectivity-config";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { App, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import { DatabricksNcc, DatabricksNccProps, PrivateLinkRouter, RouterTarget, ValidationError } from "../../src";
import { dnsTargets, local, newStack, only, routerProps, synth } from "../helpers";
import { checkInvariants } from "../invariants";

let stack: TerraformStack;
let provider: DatabricksProvider;
beforeEach(() => {
  const s = newStack();
  stack = s.stack;
  provider = s.databricks!;
});

const router = (targets: RouterTarget[] = dnsTargets(3), extra: object = {}, id = "Router") =>
  new PrivateLinkRouter(stack, id, routerProps({ targets, ...extra }));
const ncc = (props: Partial<DatabricksNccProps> = {}, id = "Ncc") =>
  new DatabricksNcc(stack, id, { region: "us-east-1", provider, ...props });

describe("NCC", () => {
  test("creates an NCC with a name derived from the construct path that fits the pattern", () => {
    const n = ncc();
    const config = only(synth(stack), "databricks_mws_network_connectivity_config");
    expect(config).toMatchObject({ region: "us-east-1", provider: "databricks.account" });
    expect(config.name).toMatch(/^ncc-Ncc-[0-9a-f]{6}$/);
    expect(config.name).toMatch(/^[0-9a-zA-Z-_]{3,30}$/);
    expect(stack.node.tryFindChild("Ncc")).toBe(n);
  });

  test("a long construct id still gives a name of at most 30 characters", () => {
    ncc({}, "A".repeat(80));
    expect(only(synth(stack), "databricks_mws_network_connectivity_config").name).toHaveLength(30);
  });

  test("the given name is used", () => {
    ncc({ name: "analytics_ncc-1" });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(MwsNetworkConnectivityConfig, { name: "analytics_ncc-1" });
  });

  test("an existing NCC id is used instead of creating one", () => {
    const n = ncc({ networkConnectivityConfigId: "0a1b2c3d-4e5f-6789-abcd-ef0123456789", routers: [router()] });
    const json = synth(stack);
    expect(json.resource.databricks_mws_network_connectivity_config).toBeUndefined();
    expect(n.networkConnectivityConfigId).toBe("0a1b2c3d-4e5f-6789-abcd-ef0123456789");
    expect(only(json, "databricks_mws_ncc_private_endpoint_rule").network_connectivity_config_id).toBe("0a1b2c3d-4e5f-6789-abcd-ef0123456789");
    // With an existing NCC, every NCC of the region is read and rules are filtered by that id.
    expect(only(json, "databricks_mws_network_connectivity_config", "data").for_each).not.toContain(" if n == ");
    // The id travels in a local, never in expression text (it may be a token).
    expect(local(json, "Ncc_settings")).toMatchObject({ id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789", name: null });
    expect(Object.values<string>(json.locals).find((l) => typeof l === "string" && l.includes("r.rule_id => r")))
      .toMatch(/&& r\.network_connectivity_config_id == local\.Ncc_settings_[0-9A-F]+\.id \}\}$/);
  });

  test("rules reference network_connectivity_config_id, not the <account>/<id> Terraform id", () => {
    ncc({ routers: [router()] });
    expect(only(synth(stack), "databricks_mws_ncc_private_endpoint_rule").network_connectivity_config_id)
      .toMatch(/^\$\{databricks_mws_network_connectivity_config\.[A-Za-z0-9_]+\.network_connectivity_config_id\}$/);
  });
});

describe("rules", () => {
  test("one rule per router shard, with the shard's endpoint service and distinct sorted hosts", () => {
    const r = router(dnsTargets(5), { maxTargetsPerLoadBalancer: 2 });
    const n = ncc();
    const rules = n.addRouter(r);
    const json = synth(stack);
    expect(rules).toHaveLength(3);
    expect(n.rules).toEqual(rules);
    const synthesized = Object.values<any>(json.resource.databricks_mws_ncc_private_endpoint_rule);
    expect(synthesized.map((x) => x.domain_names)).toEqual([
      ["db0.internal.example.com", "db1.internal.example.com"],
      ["db2.internal.example.com", "db3.internal.example.com"],
      ["db4.internal.example.com"],
    ]);
    expect(synthesized.map((x) => x.endpoint_service)).toEqual([0, 1, 2].map((k) => expect.stringMatching(new RegExp(`Router_Shard${k}_EndpointService_[0-9A-F]+\\.service_name`))));
    expect(rules.map((x) => x.node.id)).toEqual(["RouterShard0", "RouterShard1", "RouterShard2"]);
  });

  test("a host shared by two targets is one domain name", () => {
    const r = router([{ name: "a", host: "db.example.com", port: 5432 }, { name: "b", host: "db.example.com", port: 5433 }]);
    ncc({ routers: [r] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(MwsNccPrivateEndpointRule, { domain_names: ["db.example.com"] });
  });

  test("explicit domainNames are used for a one-shard router", () => {
    const r = router([{ name: "sql", ips: ["10.1.1.1"], port: 1433 }]);
    ncc().addRouter(r, { domainNames: ["sql.corp.internal"] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(MwsNccPrivateEndpointRule, { domain_names: ["sql.corp.internal"] });
  });

  test("throws when an ips target has no domainName, even beside host targets", () => {
    const r = router([{ name: "orders", host: "orders.example.com", port: 5432 }, { name: "sql", ips: ["10.1.1.1"], port: 1433 }]);
    expect(() => ncc().addRouter(r)).toThrow(/test\/Ncc: target "sql" of router test\/Router shard 0 has literal `ips` and no `domainName`, so notebooks would have no name to reach it by; set `domainName` on the target/);
  });

  test("each shard's rule takes its own targets' domain names: 60 literal-IP targets, 10 per shard, make 6 rules", () => {
    const targets = Array.from({ length: 60 }, (_, i) => ({ name: `db${i}`, ips: [`10.9.${i}.10`], port: 5432, domainName: `db${i}.db.internal` }));
    const r = router(targets, { maxTargetsPerLoadBalancer: 10 });
    const rules = ncc().addRouter(r);
    expect(rules).toHaveLength(6);
    const json = synth(stack);
    const domains = Object.values<any>(json.resource.databricks_mws_ncc_private_endpoint_rule).map((x) => x.domain_names);
    expect(domains).toEqual(Array.from({ length: 6 }, (_, s) => Array.from({ length: 10 }, (__, i) => `db${s * 10 + i}.db.internal`).sort()));
  });

  test("a host target's domainName replaces its host in the rule and in its connection", () => {
    const r = router([{ name: "orders", host: "orders.cluster-x.rds.amazonaws.com", port: 5432, domainName: "orders.db.internal" }]);
    const n = ncc();
    n.addRouter(r);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(MwsNccPrivateEndpointRule, { domain_names: ["orders.db.internal"] });
    expect(n.connections[0]).toMatchObject({ database: "orders.cluster-x.rds.amazonaws.com", domainName: "orders.db.internal", address: "orders.db.internal:10000" });
  });

  test("targets may share a domainName: one name in the rule, each on its own port", () => {
    const r = router([{ name: "a", ips: ["10.1.1.1"], port: 5432, domainName: "db.internal" }, { name: "b", ips: ["10.1.1.2"], port: 5432, domainName: "DB.internal" }]);
    const n = ncc();
    n.addRouter(r);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(MwsNccPrivateEndpointRule, { domain_names: ["db.internal"] });
    expect(n.connections.map((c) => c.address)).toEqual(["db.internal:10000", "db.internal:10001"]);
  });

  test("throws when explicit domainNames meet a router with several shards", () => {
    const r = router(dnsTargets(3), { maxTargetsPerLoadBalancer: 2 });
    expect(() => ncc().addRouter(r, { domainNames: ["a.example.com"] })).toThrow(/`domainNames` was given for test\/Router, which has 2 shards/);
  });

  test.each([
    [10, true],
    [11, false],
  ])("%i domain names on one rule fit: %s", (n, fits) => {
    const r = router(dnsTargets(n));
    const make = () => ncc().addRouter(r);
    if (fits) expect(make).not.toThrow();
    else expect(make).toThrow(/router test\/Router shard 0 needs 11 domain names, over Databricks' 10 per private endpoint rule; lower `maxTargetsPerLoadBalancer` on the router to 10/);
  });

  test.each([
    [10, true],
    [11, false],
  ])("%i explicit domainNames fit: %s", (n, fits) => {
    const r = router([{ name: "sql", ips: ["10.1.1.1"], port: 1433 }]);
    const names = Array.from({ length: n }, (_, i) => `n${i}.example.com`);
    const make = () => ncc().addRouter(r, { domainNames: names });
    if (fits) expect(make).not.toThrow();
    else expect(make).toThrow(/needs 11 domain names/);
  });

  test.each([
    [[], /`domainNames` is empty/],
    [["bad name"], /`domainNames\[0\]` must be a DNS name/],
    [["a.example.com", "A.example.com"], /`domainNames` lists "a.example.com" twice/],
  ])("throws when domainNames are %j", (names, message) => {
    const r = router([{ name: "sql", ips: ["10.1.1.1"], port: 1433 }]);
    expect(() => ncc().addRouter(r, { domainNames: names })).toThrow(message);
  });

  test("throws when one host lands in two shards of the same NCC", () => {
    const r1 = router([{ name: "a", host: "db.example.com", port: 5432 }], {}, "R1");
    const r2 = router([{ name: "b", host: "db.example.com", port: 5433 }], {}, "R2");
    const n = ncc({ routers: [r1] });
    expect(() => n.addRouter(r2)).toThrow(/the domain name "db.example.com" would appear in two rules of this NCC \(router test\/R2 shard 0 and test\/R1 shard 0\)/);
  });

  test("throws when the router has no targets yet, or is added twice, or is not a router", () => {
    const empty = new PrivateLinkRouter(stack, "Empty", routerProps());
    const n = ncc();
    expect(() => n.addRouter(empty)).toThrow(/router test\/Empty has no targets yet; add its targets first/);
    const r = router();
    n.addRouter(r);
    expect(() => n.addRouter(r)).toThrow(/router test\/Router is already connected to this NCC/);
    expect(() => n.addRouter({} as PrivateLinkRouter)).toThrow(/addRouter\(\) needs a PrivateLinkRouter/);
  });

});

describe("targets added after addRouter()", () => {
  const rules = () => Object.values<any>(synth(stack).resource.databricks_mws_ncc_private_endpoint_rule);

  test("a late target in an existing shard joins its rule, the connections and the output", () => {
    // GIVEN
    const r = router(dnsTargets(2));
    const n = ncc({ routers: [r] });
    // WHEN
    r.addTarget({ name: "late", host: "Late.Example.com.", port: 5432 });
    // THEN
    const json = synth(stack);
    expect(rules().map((x) => x.domain_names)).toEqual([["db0.internal.example.com", "db1.internal.example.com", "late.example.com"]]);
    expect(n.connections.map((c) => c.address)).toEqual(["db0.internal.example.com:10000", "db1.internal.example.com:10001", "late.example.com:10002"]);
    const output = Object.entries<any>(json.output).find(([k]) => /connections/.test(k))![1].value;
    expect(output.map((c: any) => c.name)).toEqual(["db0", "db1", "late"]);
    const domains = Object.entries<any>(json.locals).find(([k]) => /Router_domains/.test(k))![1];
    expect(domains).toEqual(["db0.internal.example.com", "db1.internal.example.com", "late.example.com"]);
  });

  test("a late target that opens a shard gets its own rule, principal and acceptance ordering", () => {
    const r = router(dnsTargets(2), { maxTargetsPerLoadBalancer: 2 });
    const n = ncc({ routers: [r] });
    r.addTarget({ name: "late", host: "late.example.com", port: 1 });
    const json = synth(stack);
    expect(n.rules).toHaveLength(2);
    expect(rules().map((x) => x.domain_names)).toEqual([["db0.internal.example.com", "db1.internal.example.com"], ["late.example.com"]]);
    const services = Object.values<any>(json.resource.aws_vpc_endpoint_service);
    expect(services).toHaveLength(2);
    for (const svc of services) expect(svc.allowed_principals).toContain(DatabricksNcc.principalFor("us-east-1"));
    const accepter = Object.values<any>(json.resource.aws_vpc_endpoint_connection_accepter)[0];
    // Plain addresses, as Terraform requires ("A single static variable reference is required").
    expect(accepter.depends_on).toEqual([expect.stringMatching(/^aws_vpc_endpoint_service\.Router_Shard0_EndpointService_[0-9A-F]+$/), expect.stringMatching(/^aws_vpc_endpoint_service\.Router_Shard1_EndpointService_[0-9A-F]+$/)]);
    expect(checkInvariants(json)).toEqual([]);
  });

  test.each([
    ["an ips target without a domainName", { name: "erp", ips: ["10.1.2.3"], port: 1433 }, /target "erp" of router test\/Router shard 0 has literal `ips` and no `domainName`/],
    ["an 11th domain name in a shard", { name: "late", host: "late.example.com", port: 1 }, /router test\/Router shard 0 needs 11 domain names, over Databricks' 10/],
  ])("throws from addTarget, before anything is added, for %s", (_, target, message) => {
    const r = router(dnsTargets(10), { maxTargetsPerLoadBalancer: 20 });
    const n = ncc({ routers: [r] });
    expect(() => r.addTarget(target as RouterTarget)).toThrow(message);
    expect(r.routes).toHaveLength(10);
    expect(n.connections).toHaveLength(10);
  });

  test("throws when a late target's domain name is already in another router's rule", () => {
    const a = router(dnsTargets(1), {}, "A");
    const b = router([{ name: "x", host: "x.example.com", port: 1 }], { serviceName: "b" }, "B");
    ncc({ routers: [a, b] });
    expect(() => b.addTarget({ name: "y", host: "y.example.com", domainName: "db0.internal.example.com", port: 2 }))
      .toThrow('test/Ncc: the domain name "db0.internal.example.com" would appear in two rules of this NCC (router test/B shard 0 and test/A shard 0)');
  });
});

test("one router with 3 shards and one NCC bound to two workspaces: a rule per shard, the principal everywhere, acceptance wired", () => {
  // GIVEN
  const r = router(dnsTargets(30), { maxTargetsPerLoadBalancer: 10 });
  // WHEN
  const n = ncc({ workspaceIds: [1111, 2222], routers: [r] });
  const json = synth(stack);
  // THEN
  expect(r.shards).toHaveLength(3);
  expect(n.rules).toHaveLength(3);
  expect(Object.keys(json.resource.databricks_mws_ncc_private_endpoint_rule)).toHaveLength(3);
  expect(local(json, "Ncc_settings").workspace_ids).toEqual({ 1111: 1111, 2222: 2222 });
  expect(only(json, "databricks_mws_ncc_binding").for_each).toMatch(/^\$\{merge\(local\.Ncc_settings_[0-9A-F]+\.workspace_ids, local\.Ncc_settings_[0-9A-F]+\.workspace_id_strings\)\}$/);
  for (const svc of Object.values<any>(json.resource.aws_vpc_endpoint_service)) {
    expect(svc.allowed_principals).toEqual([DatabricksNcc.principalFor("us-east-1")]);
    expect(svc.acceptance_required).toBe(true);
  }
  // Accepted only for the router's 3 services, destroyed before them.
  expect(local(json, "Router_services")).toHaveLength(3);
  expect(only(json, "aws_vpc_endpoint_connection_accepter").depends_on).toHaveLength(3);
  expect(local(json, "Ncc_settings").name).toBe(only(json, "databricks_mws_network_connectivity_config").name);
  expect(checkInvariants(json, { maxTargets: 10 })).toEqual([]);
});

test.each([
  ["an NCC whose routers prop holds a bad router", () => ncc({ workspaceIds: [1], routers: [router(dnsTargets(11))] })],
  ["the 11th NCC of a region", () => { for (let i = 0; i < 10; i++) ncc({}, `N${i}`); ncc({ workspaceIds: [1] }); }],
])("validation of %s happens before any of its resources is made", (_, make) => {
  expect(make).toThrow(ValidationError);
  const n = stack.node.tryFindChild("Ncc");
  expect(n?.node.children.length ?? 0).toBe(0);
});

test("two routers in the routers prop are checked together", () => {
  const r1 = router([{ name: "a", host: "db.example.com", port: 1 }], {}, "R1");
  const r2 = router([{ name: "b", host: "db.example.com", port: 2 }], {}, "R2");
  expect(() => ncc({ routers: [r1, r2] })).toThrow(/the domain name "db.example.com" would appear in two rules of this NCC \(router test\/R2 shard 0 and test\/R1 shard 0\)/);
  expect(() => ncc({ routers: [r1, r1] }, "Again")).toThrow(/router test\/R1 is already connected to this NCC/);
});

describe("principal", () => {
  test("principalFor names the regional Databricks role", () => {
    expect(DatabricksNcc.principalFor("eu-west-1")).toBe("arn:aws:iam::565502421330:role/private-connectivity-role-eu-west-1");
  });

  test("addRouter adds the principal to every shard's endpoint service and keeps acceptance required", () => {
    ncc({ routers: [router(dnsTargets(3), { maxTargetsPerLoadBalancer: 1 })] });
    const json = synth(stack);
    const services = Object.values<any>(json.resource.aws_vpc_endpoint_service);
    expect(services).toHaveLength(3);
    for (const s of services) {
      expect(s.allowed_principals).toEqual(["arn:aws:iam::565502421330:role/private-connectivity-role-us-east-1"]);
      expect(s.acceptance_required).toBe(true);
    }
    expect(checkInvariants(json)).toEqual([]);
  });

  test("a custom databricksPrincipal is used", () => {
    ncc({ databricksPrincipal: "arn:aws:iam::123456789012:role/test", routers: [router()] });
    expect(only(synth(stack), "aws_vpc_endpoint_service").allowed_principals).toEqual(["arn:aws:iam::123456789012:role/test"]);
  });
});

describe("acceptance", () => {
  test("the NCC is read back only once it exists, so the first plan reads nothing", () => {
    ncc({ name: "my-ncc", routers: [router()] });
    const json = synth(stack);
    const list = only(json, "databricks_mws_network_connectivity_configs", "data");
    expect(list).toEqual({ region: "us-east-1", provider: "databricks.account" });
    const read = only(json, "databricks_mws_network_connectivity_config", "data");
    expect(read.for_each).toMatch(/^\$\{\{ for n in data\.databricks_mws_network_connectivity_configs\.[A-Za-z0-9_]+\.names : n => n if n == local\.Ncc_settings_[0-9A-F]+\.name \}\}$/);
    expect(local(json, "Ncc_settings").name).toBe("my-ncc");
    expect(read.name).toBe("${each.value}");
  });

  test("accepters are keyed by rule id, for rules with an endpoint and the router's domain names", () => {
    ncc({ routers: [router(dnsTargets(2))] });
    const json = synth(stack);
    const endpoints = Object.values<any>(json.locals).find((l) => typeof l === "string" && l.includes("r.rule_id => r"));
    expect(endpoints).toContain("try(n.egress_config[0].target_rules[0].aws_private_endpoint_rules, [])");
    // a rule without an endpoint yet (null or "") is left out; so is one without domain names (S3)
    expect(endpoints).toContain("if try(length(r.vpc_endpoint_id) > 0, false)");
    // First the rules that carry the router's domain names (a local, literal or tokens), then those
    // that point at one of its services: two steps, so a new shard's unknown service name cannot
    // make the whole for_each unknown.
    expect(local(json, "Router_domains")).toEqual(["db0.internal.example.com", "db1.internal.example.com"]);
    expect(local(json, "Router_rules")).toMatch(/if try\(length\(setintersection\(toset\(r\.domain_names\), toset\(local\.Ncc_Router_domains_[0-9A-F]+\)\)\) > 0, false\) \}\}$/);
    const accepter = only(json, "aws_vpc_endpoint_connection_accepter");
    expect(accepter.for_each).toMatch(/^\$\{\{ for id, r in local\.Ncc_Router_rules_[0-9A-F]+ : id => r if contains\(local\.Ncc_Router_services_[0-9A-F]+, r\.endpoint_service\) \}\}$/);
    expect(accepter.vpc_endpoint_id).toBe("${each.value.vpc_endpoint_id}");
    // known at plan time from the data source alone (see the note in acceptFor)
    expect(accepter.vpc_endpoint_service_id).toBe('${regex("vpce-svc-[0-9a-z]+$", each.value.endpoint_service)}');
    expect(accepter.vpc_endpoint_service_id).not.toMatch(/aws_vpc_endpoint_service\./);
    expect(local(json, "Router_services")).toEqual([expect.stringMatching(/^\$\{aws_vpc_endpoint_service\.Router_Shard0_EndpointService_[0-9A-F]+\.service_name\}$/)]);
    // A rule with the router's names that points elsewhere is not accepted, and a check block says so.
    expect(accepter).not.toHaveProperty("lifecycle");
    const [check] = Object.values<any>(json.check);
    expect(check.assert[0].condition).toMatch(/^\$\{alltrue\(\[for r in values\(local\.Ncc_Router_rules_[0-9A-F]+\) : contains\(local\.Ncc_Router_services_[0-9A-F]+, r\.endpoint_service\)\]\)\}$/);
    expect(check.assert[0].error_message).toMatch(/^Rules of NCC test\/Ncc carry the domain names of router test\/Router but point at another endpoint service/);
    expect(accepter).not.toHaveProperty("count");
  });

  test("accepters use the router's aws provider, or the given one", () => {
    const other = new AwsProvider(stack, "net", { region: "us-east-1", alias: "network" });
    ncc({ routers: [router(dnsTargets(1), { awsProvider: other })] });
    expect(only(synth(stack), "aws_vpc_endpoint_connection_accepter").provider).toBe("aws.network");
  });

  test.each([
    [{ autoAcceptConnections: false }, {}],
    [{}, { acceptanceRequired: false }],
  ])("no accepters with %j and router %j", (nccProps, routerExtra) => {
    ncc({ ...nccProps, routers: [router(dnsTargets(1), routerExtra)] });
    const json = synth(stack);
    expect(json.resource.aws_vpc_endpoint_connection_accepter).toBeUndefined();
    // The list of names is still read, for the NCC's name claim; no NCC's rules are.
    expect(json.data?.databricks_mws_network_connectivity_config).toBeUndefined();
  });

  test("a router without acceptance gets a warning", () => {
    const n = ncc({ routers: [router(dnsTargets(1), { acceptanceRequired: false })] });
    const warnings = n.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings).toEqual([expect.stringMatching(/router test\/Router has acceptanceRequired: false, .* shared by every Databricks customer in us-east-1/)]);
  });

  test("the NCC data sources are written once for several routers", () => {
    const n = ncc();
    n.addRouter(router(dnsTargets(1), {}, "A"));
    n.addRouter(router([{ name: "x", host: "x.example.com", port: 1 }], {}, "B"));
    const json = synth(stack);
    expect(Object.keys(json.data.databricks_mws_network_connectivity_configs)).toHaveLength(1);
    expect(Object.keys(json.resource.aws_vpc_endpoint_connection_accepter)).toHaveLength(2);
  });
});

describe("bindings", () => {
  test("one binding per workspace", () => {
    ncc({ workspaceIds: [1111, 2222] });
    const json = synth(stack);
    // One resource, for_each over the ids (keyed by id, so a token list works too).
    expect(local(json, "Ncc_settings").workspace_ids).toEqual({ 1111: 1111, 2222: 2222 });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(MwsNccBinding, { workspace_id: "${each.value}", provider: "databricks.account" });
  });

  test.each([
    [50, true],
    [51, false],
  ])("%i workspaces fit: %s", (n, fits) => {
    const make = () => ncc({ workspaceIds: Array.from({ length: n }, (_, i) => i + 1) });
    if (fits) expect(make).not.toThrow();
    else expect(make).toThrow(/`workspaceIds` lists 51 workspaces; an NCC serves at most 50/);
  });

  test("throws when a workspace is bound by two NCCs", () => {
    ncc({ workspaceIds: [7] }, "A");
    expect(() => ncc({ workspaceIds: [7] }, "B")).toThrow(/workspace 7 is already bound to test\/A/);
  });

  // A bound NCC cannot be deleted and a binding cannot be undone: its destroy is refused at plan.
  test.each([
    ["workspaces (literal)", () => ({ workspaceIds: [1111] }), true],
    ["workspaces (a token list)", () => ({ workspaceIds: Token.asNumberList(new TerraformVariable(stack, "ws", { type: "list(number)" }).value) }), true],
    ["workspaces as strings", () => ({ workspaceIdStrings: ["9876543210123457"] }), true],
    ["no workspaces", () => ({ workspaceIds: [] }), false],
    ["workspaceIds left out", () => ({}), false],
  ])("a created NCC with %s has prevent_destroy: %s", (_, props: () => Partial<DatabricksNccProps>, protectedNcc) => {
    ncc(props());
    const config = only(synth(stack), "databricks_mws_network_connectivity_config");
    if (protectedNcc) expect(config.lifecycle).toEqual({ prevent_destroy: true });
    else expect(config.lifecycle).toBeUndefined();
  });

  test("an existing NCC's bindings protect nothing: the library makes no NCC to protect", () => {
    ncc({ networkConnectivityConfigId: "0a1b2c3d-4e5f-6789-abcd-ef0123456789", workspaceIds: [1111] });
    const json = synth(stack);
    expect(json.resource.databricks_mws_network_connectivity_config).toBeUndefined();
    expect(Object.values<any>(json.resource.databricks_mws_ncc_binding)[0].lifecycle).toBeUndefined();
  });
});

describe("limits", () => {
  test.each([
    [30, true],
    [31, false],
  ])("%i private endpoint rules in a region fit: %s", (n, fits) => {
    const make = () => {
      const first = ncc({}, "A");
      first.addRouter(router(dnsTargets(Math.min(n, 20)), { maxTargetsPerLoadBalancer: 1 }, "R1"));
      if (n > 20) ncc({}, "B").addRouter(router(dnsTargets(n - 20).map((t) => ({ ...t, name: `x${t.name}`, host: `x${t.host}` })), { maxTargetsPerLoadBalancer: 1 }, "R2"));
    };
    if (fits) expect(make).not.toThrow();
    else expect(make).toThrow(/router test\/R2 needs 11 private endpoint rule\(s\), bringing us-east-1 to 31; Databricks allows 30 per region across all NCCs/);
  });

  test("rules count per provider and region", () => {
    const other = new DatabricksProvider(stack, "other", { alias: "other", host: "https://accounts.cloud.databricks.com", accountId: "x" });
    ncc({}, "A").addRouter(router(dnsTargets(30), { maxTargetsPerLoadBalancer: 1 }, "R1"));
    expect(() => new DatabricksNcc(stack, "B", { region: "us-east-1", provider: other })
      .addRouter(router([{ name: "z", host: "z.example.com", port: 1 }], {}, "R2"))).not.toThrow();
    expect(() => ncc({ region: "us-west-2" }, "C").addRouter(router([{ name: "w", host: "w.example.com", port: 1 }], {}, "R3"))).not.toThrow();
  });

  test.each([
    [10, true],
    [11, false],
  ])("%i NCCs in a region fit: %s", (n, fits) => {
    const make = () => Array.from({ length: n }, (_, i) => ncc({}, `N${i}`));
    if (fits) expect(make).not.toThrow();
    else expect(make).toThrow(/test\/N10: this would be NCC number 11 in us-east-1 for one Databricks account; Databricks allows 10 per region/);
  });
});

describe("providers", () => {
  test("the stack's default databricks provider is used when none is given", () => {
    const { stack: s } = newStack({ databricks: false });
    new DatabricksProvider(s, "databricks", { host: "https://accounts.cloud.databricks.com", accountId: "x" });
    new DatabricksNcc(s, "Ncc", { region: "us-east-1" });
    expect(only(synth(s), "databricks_mws_network_connectivity_config").provider).toBeUndefined();
  });

  test("throws when there is no databricks provider", () => {
    const { stack: s } = newStack({ databricks: false });
    expect(() => new DatabricksNcc(s, "Ncc", { region: "us-east-1" })).toThrow(/test\/Ncc: no databricks provider: .* declare an account-level/);
  });
});

describe("connections", () => {
  test("without a spare domain name, an IP target is reached through the first one", () => {
    const r = router([{ name: "orders", host: "orders.example.com", port: 5432 }, { name: "sql", ips: ["10.1.1.1"], port: 1433 }]);
    const n = ncc();
    n.addRouter(r, { domainNames: ["orders.example.com"] });
    expect(n.connections[1].address).toBe("orders.example.com:10001");
  });

  test("each route becomes <domain name>:<listener port>, from TypeScript and as a Terraform output", () => {
    const r = router([{ name: "orders", host: "orders.example.com", port: 5432 }, { name: "sql", ips: ["10.1.1.1", "10.1.1.2"], port: 1433 }]);
    const n = ncc();
    n.addRouter(r, { domainNames: ["orders.example.com", "sql.corp.internal"] });
    expect(n.connections).toEqual([
      { name: "orders", database: "orders.example.com", domainName: "orders.example.com", port: 10000, address: "orders.example.com:10000", shard: 0, admit: ["tcp/5432"] },
      { name: "sql", database: "10.1.1.1,10.1.1.2", domainName: "sql.corp.internal", port: 10001, address: "sql.corp.internal:10001", shard: 0, admit: ["tcp/1433"] },
    ]);
    const output = Object.values<any>(synth(stack).output)[0];
    expect(output.value).toEqual([...n.connections].sort((a, b) => a.name.localeCompare(b.name)));
  });
});

describe("validation", () => {
  test.each([
    ["region", { region: "us-east" }, /`region` must be an AWS region like us-east-1/],
    ["region", { region: undefined }, /`region` is missing/],
    ["name", { name: "ab" }, /`name` must be 3-30 letters/],
    ["name", { name: "a".repeat(31) }, /`name` must be 3-30 letters/],
    ["name", { name: "a b c" }, /`name` must be 3-30 letters/],
    ["name and id", { name: "abc", networkConnectivityConfigId: "0a1b2c3d-4e5f" }, /`name` and `networkConnectivityConfigId` are both set/],
    ["id", { networkConnectivityConfigId: "123456/0a1b2c3d" }, /`networkConnectivityConfigId` must be an NCC id/],
    ["workspaceIds", { workspaceIds: [0] }, /`workspaceIds\[0\]` must be a positive whole number/],
    ["workspaceIds", { workspaceIds: [1, 1] }, /`workspaceIds` lists 1 twice/],
    ["databricksPrincipal", { databricksPrincipal: "*" }, /`databricksPrincipal` must not contain "\*"/],
  ])("throws when %s is bad (%j)", (_, props, message) => {
    expect(() => ncc(props as Partial<DatabricksNccProps>)).toThrow(ValidationError);
    expect(() => ncc(props as Partial<DatabricksNccProps>, "Again")).toThrow(message);
  });

  test.each(["abc", "a".repeat(30), "A-b_0"])("name %p is accepted", (name) => {
    ncc({ name });
    expect(only(synth(stack), "databricks_mws_network_connectivity_config").name).toBe(name);
  });
});

test("an NCC requires a databricks provider that updates rules in place (the bindings pin 1.99.0)", () => {
  ncc({ routers: [router()] });
  expect(synth(stack).terraform.required_providers.databricks.version).toBe(">= 1.118.0");
});

test("a rule sets only the arguments provider 1.121 still accepts (its server-set attributes are read-only there)", () => {
  ncc({ routers: [router()] });
  const rule = only(synth(stack), "databricks_mws_ncc_private_endpoint_rule");
  expect(Object.keys(rule).sort()).toEqual(["domain_names", "endpoint_service", "network_connectivity_config_id", "provider"]);
});

describe("a router in another stack (two teams, two states)", () => {
  // Cross-stack references are made when the whole app synthesizes, as `cdktf synth` does.
  const appSynth = (...stacks: TerraformStack[]) => {
    const app = App.of(stack);
    app.synth();
    return stacks.map((s) => JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", s.node.id, "cdk.tf.json"), "utf8")));
  };

  test("rules reach the router's services through cdktf's cross-stack references; the accepters use the NCC's awsProvider", () => {
    // GIVEN a network stack with a router, and this stack with the NCC and an aws provider for the network account
    const network = new TerraformStack(stack.node.scope!, "network");
    new AwsProvider(network, "aws", { region: "us-east-1" });
    const r = new PrivateLinkRouter(network, "Router", routerProps({ targets: dnsTargets(2) }));
    const aws = new AwsProvider(stack, "network-account", { alias: "network", region: "us-east-1" });
    // WHEN
    const n = ncc({ routers: [r], awsProvider: aws });
    const [json, net] = appSynth(stack, network);
    // THEN
    const rule = only(json, "databricks_mws_ncc_private_endpoint_rule");
    expect(rule.endpoint_service).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\.outputs\.cross-stack-output-aws_vpc_endpoint_service/);
    expect(Object.keys(json.resource.databricks_mws_ncc_private_endpoint_rule)[0]).toMatch(/^Ncc_network-RouterShard0_/);
    const accepter = only(json, "aws_vpc_endpoint_connection_accepter");
    expect(accepter.provider).toBe("aws.network");
    expect(accepter.depends_on).toBeUndefined(); // the stacks' order does it
    const services = Object.entries<any>(json.locals).find(([k]) => /_services_/.test(k))![1];
    expect(services[0]).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(n.connections.map((c) => c.address)).toEqual(["db0.internal.example.com:10000", "db1.internal.example.com:10001"]);
    // The network stack gets the principal and the outputs; nothing of Databricks.
    expect(Object.values<any>(net.resource.aws_vpc_endpoint_service)[0].allowed_principals).toEqual([DatabricksNcc.principalFor("us-east-1")]);
    expect(Object.keys(net.output).some((k) => k.startsWith("cross-stack-output-aws_vpc_endpoint_service"))).toBe(true);
    expect(net.resource.databricks_mws_ncc_private_endpoint_rule).toBeUndefined();
  });

  test("two routers called Router in two stacks feed one NCC", () => {
    const routers = ["a", "b"].map((id) => {
      const network = new TerraformStack(stack.node.scope!, `network-${id}`);
      new AwsProvider(network, "aws", { region: "us-east-1" });
      return new PrivateLinkRouter(network, "Router", routerProps({ targets: [{ name: id, host: `${id}.corp.internal`, port: 5432 }] }));
    });
    const aws = new AwsProvider(stack, "network-account", { alias: "network", region: "us-east-1" });
    const n = ncc({ routers, awsProvider: aws });
    expect(n.rules.map((r) => r.node.id)).toEqual(["network-a-RouterShard0", "network-b-RouterShard0"]);
    expect(Object.keys(appSynth(stack)[0].resource.aws_vpc_endpoint_connection_accepter)).toHaveLength(2);
  });
});

describe("workspace ids JavaScript cannot hold", () => {
  test.each([
    [Number.MAX_SAFE_INTEGER, true],
    [Number.MAX_SAFE_INTEGER + 2, false],
    [1, true],
  ])("workspaceIds %d accepted: %s", (id, ok) => {
    const make = () => ncc({ workspaceIds: [id] });
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(/above 2\^53 - 1 \(9007199254740991\).*workspaceIdStrings/);
  });

  test.each([
    ["9876543210123457", true],
    ["9999999999999999999", true],
    ["10000000000000000000", false],
    ["12a", false],
    ["", false],
  ])("workspaceIdStrings %s accepted: %s", (id, ok) => {
    const make = () => ncc({ workspaceIdStrings: [id] });
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(/`workspaceIdStrings\[0\]` must be a workspace id: 1-19 digits/);
  });

  test("a string id reaches Terraform exactly as written, keyed by itself beside the number ids", () => {
    ncc({ workspaceIds: [1234567890123456], workspaceIdStrings: ["9876543210123457"] });
    const settings = local(synth(stack), "Ncc_settings");
    expect(settings.workspace_ids).toEqual({ 1234567890123456: 1234567890123456 });
    expect(settings.workspace_id_strings).toEqual({ "9876543210123457": "9876543210123457" });
  });

  test("a token id (a workspace made in the same apply) is keyed by its position", () => {
    const ws = new TerraformVariable(stack, "ws", { type: "number" }).numberValue;
    ncc({ workspaceIds: [1234567890123456, ws] });
    expect(Object.keys(local(synth(stack), "Ncc_settings").workspace_ids)).toEqual(["#1", "1234567890123456"]);
  });

  test("the same workspace as a number in one NCC and a string in another is refused", () => {
    ncc({ workspaceIds: [1234567890123456] });
    expect(() => ncc({ workspaceIdStrings: ["1234567890123456"] }, "Other")).toThrow(/workspace 1234567890123456 is already bound to test\/Ncc/);
  });
});
