// `privatelink-router status` against loopback fakes only: the real AWS SDK clients pointed at the
// ELBv2 and EC2 fakes, the Databricks account API fake, a DNS server on 127.0.0.1. Each verdict
// is set up as its breakage and checked by its line and the exit code.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DatabricksNcc, PrivateLinkRouter, RouterTarget } from "../../src";
import { run } from "../../src/cli/main";
import { routesOf } from "../../src/cli/route-table";
import { readStack } from "../../src/cli/synthesized";
import { SUBNETS, VPC, stackWithProviders, synth } from "../terraform/harness/scenarios";
import { DnsServer, startDnsServer } from "../ip-sync/dns-server";
import { ElbServer, startElbServer } from "../ip-sync/elb-server";
import { FakeElb, WRITES } from "../ip-sync/fake-elb";
import { FakeConnection, FakeServer, startDatabricksServer, startEc2Server } from "./fake-apis";

const ACCOUNT = "0d2b1c4e-1111-4222-8333-944445555666";
const NCC_ID = "6f1c2d3e-aaaa-4bbb-8ccc-dddddddddddd";
const RULE_ID = "728c1541-d6d1-4290-9a53-cdf01dd32d60";
const SERVICE_ID = "vpce-svc-0a1b2c3d4e5f60718";
const ENDPOINT_ID = "vpce-0123456789abcdef0";
const SECRET = "dose-very-secret-value";
const ORDERS = "orders.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com";
const CIDRS = ["10.20.1.0/24", "10.20.2.0/24"];
const tgArn = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/plr-${name}/0123456789abcdef`;

const ORDERS_AND_ERP: RouterTarget[] = [{ name: "orders", host: ORDERS, port: 5432 },
  { name: "erp", ips: ["10.60.1.7"], port: 1433, domainName: "erp.corp.internal" }];

/** A router with these targets (one host target and one ips target unless told) and its NCC, synthesized to a folder. */
function synthesize(targets = ORDERS_AND_ERP): string {
  const { stack, databricks } = stackWithProviders("databases");
  const router = new PrivateLinkRouter(stack, "Router", { vpcId: VPC, subnetIds: SUBNETS, targets });
  new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [router], workspaceIds: [1234567890123456], provider: databricks });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "status-"));
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(synth(stack)));
  return dir;
}

/** A v4 state as an apply of that stack writes it (the parts status reads), `edit` changing it. */
function writeState(dir: string, edit: (s: any) => void = () => undefined): string {
  const config = readStack(dir).config;
  const routes = routesOf([readStack(dir)]);
  const resource = (address: string, instances: any[], mode = "managed") => {
    const [type, name] = address.replace(/^data\./, "").split(".");
    return { mode, type, name, provider: "provider[\"registry.terraform.io/hashicorp/aws\"]", instances };
  };
  const subnetKey = Object.keys(config.data.aws_subnet)[0];
  const state: any = {
    version: 4, terraform_version: "1.11.4", serial: 3, lineage: "l", outputs: {},
    resources: [
      resource(routes[0].targetGroup,
        routes.map((r) => ({ index_key: r.name, schema_version: 0, attributes: { arn: tgArn(r.name), name: `plr-${r.name}` } }))),
      resource(routes[0].endpointService!.address,
        [{ schema_version: 0, attributes: { id: SERVICE_ID, service_name: `com.amazonaws.vpce.us-east-1.${SERVICE_ID}` } }]),
      resource(routes[0].rule!.address,
        [{ schema_version: 0, attributes:
            { rule_id: RULE_ID, network_connectivity_config_id: NCC_ID, vpc_endpoint_id: ENDPOINT_ID, account_id: ACCOUNT } }]),
      resource(`data.aws_subnet.${subnetKey}`,
        CIDRS.map((c, i) => ({ index_key: i, schema_version: 0, attributes: { id: SUBNETS[i], cidr_block: c } })), "data"),
    ],
  };
  edit(state);
  const file = path.join(dir, `state-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(state));
  return file;
}

let dir: string;
let elb: FakeElb;
let elbServer: ElbServer;
let dns: DnsServer;
let connections: FakeConnection[];
let ec2: FakeServer;
let rules: any[];
let databricks: FakeServer;
const saved = { ...process.env };

beforeAll(async () => {
  dir = synthesize();
  dns = await startDnsServer();
  elb = new FakeElb();
  elbServer = await startElbServer(elb);
  connections = [];
  ec2 = await startEc2Server(connections);
  rules = [];
  databricks =
    await startDatabricksServer({ accountId: ACCOUNT, clientId: "sp-1", clientSecret: SECRET, nccs: new Map([[NCC_ID, rules]]) });
  for (const key of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "DATABRICKS_TOKEN",
      "DATABRICKS_ACCOUNT_ID"]) delete process.env[key];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: "AKIDFAKE", AWS_SECRET_ACCESS_KEY: "fake-secret", AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: elbServer.url, AWS_ENDPOINT_URL_EC2: ec2.url,
    DATABRICKS_HOST: databricks.url, DATABRICKS_CLIENT_ID: "sp-1", DATABRICKS_CLIENT_SECRET: SECRET,
  });
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await Promise.all([dns.close(), elbServer.close(), ec2.close(), databricks.close()]);
});

/** Every part healthy: orders at 10.1.0.12, erp at 10.60.1.7, the rule ESTABLISHED, the connection available. */
function healthy(): void {
  dns.answers.clear();
  dns.answers.set(ORDERS, ["10.1.0.12"]);
  elb.groups.clear();
  elb.group(tgArn("orders"), [{ ip: "10.1.0.12", port: 5432 }]);
  elb.group(tgArn("erp"), [{ ip: "10.60.1.7", port: 1433 }]);
  connections.splice(0, connections.length, { serviceId: SERVICE_ID, vpcEndpointId: ENDPOINT_ID, state: "available" });
  rules.splice(0, rules.length, { rule_id: "other-rule", connection_state: "ESTABLISHED" },
    { rule_id: RULE_ID, connection_state: "ESTABLISHED", vpc_endpoint_id: ENDPOINT_ID, endpoint_service:
      `com.amazonaws.vpce.us-east-1.${SERVICE_ID}` });
}

async function status(extra: string[] = [], state = writeState(dir), env: NodeJS.ProcessEnv = process.env, stack = dir) {
  let out = "";
  let err = "";
  const code =
    await run(["status", "--stack", stack, "--state", state, "--dns-server", `127.0.0.1:${dns.port}`, ...extra],
      { cwd: dir, out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}

/** The verdict line of a target in table output. */
const lineOf = (out: string, target: string) => out.split("\n").find((l) => new RegExp(`^\\S+\\s+\\S+/Router\\s+${target}\\s`).test(l)) ??
  "";

beforeEach(() => healthy());

test("every part healthy: one ok line per route, exit 0, nothing written anywhere", async () => {
  const r = await status();
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  expect(lineOf(r.out, "orders"))
    .toMatch(/^ok\s.*orders\.cluster-c1a2b3c4d5e6\.us-east-1\.rds\.amazonaws\.com:10000\s+healthy: 1 of 1 targets healthy, rule ESTABLISHED, connection available$/);
  expect(lineOf(r.out, "erp")).toMatch(/^ok\s.*erp\.corp\.internal:10001\s+healthy: 1 of 1 targets healthy, rule ESTABLISHED, connection available$/);
  expect(r.out).toMatch(/2 healthy, 0 not healthy\n$/);
  expect(elb.calls.filter((c) => WRITES.includes(c.action))).toEqual([]);
  expect(ec2.requests.every((q) => q.includes("Action=DescribeVpcEndpointConnections"))).toBe(true);
  expect(databricks.requests.every((q) => q.startsWith("GET ") || q.startsWith("POST /oidc/"))).toBe(true);
});

test("--format json: one object per route with the DNS answer, the registered targets, the rule's and the connection's state", async () => {
  const r = await status(["--format", "json"]);
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out);
  expect(json.healthy).toBe(true);
  expect(json.routes.find((x: any) => x.name === "orders")).toEqual(expect.objectContaining({
    healthy: true, address: `${ORDERS}:10000`, dnsAnswer: ["10.1.0.12"], ruleState: "ESTABLISHED", connection: `${ENDPOINT_ID} available`,
    registered: [{ ip: "10.1.0.12", port: 5432, state: "healthy" }], problems: [],
  }));
});

test.each([
  ["target unhealthy (Target.Timeout): the security group must admit the port from the router's subnets",
    () => elb.group(tgArn("orders"), [{ ip: "10.1.0.12", port: 5432, state: "unhealthy", reason: "Target.Timeout", description: "Request timed out" }]),
    "orders", "target unhealthy (Target.Timeout): the database's security group must admit tcp/5432 from 10.20.1.0/24, 10.20.2.0/24"],
  ["target unhealthy (Target.FailedHealthChecks)",
    () => elb.group(tgArn("erp"), [{ ip: "10.60.1.7", port: 1433, state: "unhealthy", reason: "Target.FailedHealthChecks" }]),
    "erp", "target unhealthy (Target.FailedHealthChecks): 10.60.1.7 refuses the health check: is the database up and listening on tcp/1433?"],
  ["DNS answer not registered (a failover since the last apply)",
    () => dns.answers.set(ORDERS, ["10.1.0.99"]),
    "orders", "DNS answer 10.1.0.99 is not registered (failover since the last apply): run terraform apply, or enable ipSync"],
  ["DNS lookup fails from here", () => dns.answers.delete(ORDERS),
    "orders", `DNS lookup of ${ORDERS} failed (ENOTFOUND) from here: pass --dns-server <ip> (the VPC's Route 53 Resolver inbound endpoint) to ask the VPC's resolver`],
  ["rule PENDING, connection pendingAcceptance", () => {
    rules[1].connection_state = "PENDING";
    connections[0].state = "pendingAcceptance";
  }, "orders", "rule PENDING, connection pendingAcceptance: run terraform apply to accept"],
  ["connection rejected", () => {
    rules[1].connection_state = "REJECTED";
    connections[0].state = "rejected";
  }, "orders", `connection rejected: ${SERVICE_ID} rejected endpoint ${ENDPOINT_ID}, which cannot be accepted again: check that the service allows the Databricks principal, then terraform apply -replace='`],
  ["rule has no endpoint yet", () => {
    rules[1].connection_state = "CREATING";
    delete rules[1].vpc_endpoint_id;
    connections.splice(0);
  }, "orders", "rule has no endpoint yet (CREATING): wait and re-run"],
  ["connection expired", () => {
    rules[1].connection_state = "EXPIRED";
    connections[0].state = "expired";
  }, "erp", "connection expired (not accepted within 14 days): terraform apply -replace='"],
  ["rule deleted in the account", () => rules.splice(1, 1), "orders", `rule ${RULE_ID} is not in NCC ${NCC_ID} (deleted outside Terraform): run terraform apply to re-create it`],
  ["no targets registered", () => elb.group(tgArn("erp"), []), "erp", "no targets registered on port 1433: run terraform apply"],
  ["target group deleted outside Terraform", () => elb.groups.delete(tgArn("erp")), "erp", "target group not found (deleted outside Terraform, or the state is stale): run terraform apply"],
])("%s: the verdict line and exit 1", async (_, breakIt, target, line) => {
  breakIt();
  const r = await status();
  expect(r.err).toBe("");
  expect(r.code).toBe(1);
  const verdict = lineOf(r.out, target);
  expect(verdict).toMatch(/^FAIL\s/);
  expect(verdict).toContain(line);
  expect(r.out).toMatch(/ not healthy\n$/);
});

test("several routes broken at once in one shard: each route its own verdict, the healthy ones ok", async () => {
  const host = (name: string) => `${name}.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com`;
  const many = synthesize([...ORDERS_AND_ERP, ...["billing", "ledger", "payroll"].map((name) => ({ name, host: host(name), port: 5432 })),
    { name: "crm", ips: ["10.60.1.8"], port: 1433, domainName: "crm.corp.internal" },
    { name: "hr", ips: ["10.60.1.9"], port: 1433, domainName: "hr.corp.internal" }]);
  const withoutHr = writeState(many, (s) => (s.resources[0].instances = s.resources[0].instances.filter((i: any) => i.index_key !== "hr")));
  dns.answers.set(host("billing"), ["10.1.0.99"]);
  elb.group(tgArn("billing"), [{ ip: "10.1.0.13", port: 5432 }]);
  dns.answers.set(host("ledger"), ["10.1.0.14"]);
  elb.group(tgArn("ledger"), [{ ip: "10.1.0.14", port: 5432, state: "unhealthy", reason: "Target.Timeout" }]);
  dns.answers.set(host("payroll"), ["10.1.0.15"]);
  elb.group(tgArn("payroll"), [{ ip: "10.1.0.15", port: 5432, state: "initial", reason: "Elb.InitialHealthChecking" }]);
  elb.group(tgArn("crm"), []);
  const r = await status([], withoutHr, process.env, many);
  expect(r.err).toBe("");
  expect(r.code).toBe(1);
  expect(lineOf(r.out, "orders")).toMatch(/^ok\s.*healthy: 1 of 1 targets healthy/);
  expect(lineOf(r.out, "erp")).toMatch(/^ok\s.*healthy: 1 of 1 targets healthy/);
  expect(lineOf(r.out, "billing")).toMatch(/^FAIL\s.*DNS answer 10\.1\.0\.99 is not registered \(failover since the last apply\)/);
  expect(lineOf(r.out, "ledger")).toMatch(/^FAIL\s.*target unhealthy \(Target\.Timeout\): the database's security group must admit tcp\/5432/);
  expect(lineOf(r.out, "payroll")).toMatch(/^FAIL\s.*target initial \(Elb\.InitialHealthChecking\)/);
  expect(lineOf(r.out, "crm")).toMatch(/^FAIL\s.*no targets registered on port 1433: run terraform apply$/);
  expect(lineOf(r.out, "hr")).toMatch(/^FAIL\s.*not applied: the state has no aws_lb_target_group\.\S+\["hr"\]: run terraform apply$/);
  expect(r.out).toMatch(/2 healthy, 5 not healthy\n$/);
});

test("a route the state does not hold yet: not applied, exit 1", async () => {
  const state = writeState(dir, (s) => (s.resources[0].instances = s.resources[0].instances.filter((i: any) => i.index_key !== "erp")));
  const r = await status([], state);
  expect(r.code).toBe(1);
  expect(lineOf(r.out, "erp")).toMatch(/FAIL.*not applied: the state has no aws_lb_target_group\.\S+\["erp"\]: run terraform apply$/);
  expect(lineOf(r.out, "orders")).toMatch(/^ok\s/);
});

test("`terraform show -json` output is read like the state file", async () => {
  const raw = JSON.parse(fs.readFileSync(writeState(dir), "utf8"));
  const show = {
    format_version: "1.0", terraform_version: "1.11.4",
    values: {
      outputs: {},
      root_module: {
        resources: raw.resources.flatMap((r: any) => r.instances.map((i: any) => ({
          address: `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`, mode: r.mode, type: r.type, name: r.name, index: i.index_key, values: i.attributes,
        }))),
      },
    },
  };
  const file = path.join(dir, "show.json");
  fs.writeFileSync(file, JSON.stringify(show));
  dns.answers.set(ORDERS, ["10.1.0.99"]);
  const r = await status([], file);
  expect(r.code).toBe(1);
  expect(lineOf(r.out, "orders")).toContain("DNS answer 10.1.0.99 is not registered");
  expect(lineOf(r.out, "erp")).toMatch(/^ok\s.*healthy: 1 of 1 targets healthy/);
});

describe("usage and credentials errors: exit 2 with the fix, nothing secret printed", () => {
  test.each([
    ["no --state", ["status", "--stack", "."], /status needs --state/],
    ["a bad --dns-server", ["status", "--state", "x.json", "--dns-server", "resolver.local"], /--dns-server resolver\.local is not an IPv4 address/],
    ["a bad --account-id", ["status", "--state", "x.json", "--account-id", "123"], /--account-id 123 is not a Databricks account id/],
    ["a --state that does not exist", ["status", "--stack", "STACK", "--state", "missing.json"], /--state \S+missing\.json does not exist/],
  ])("%s", async (_, argv, message) => {
    let err = "";
    const code = await run(argv.map((a) => (a === "STACK" ? dir : a)), { cwd: dir, out: () => undefined, err: (t) => (err += t), env: process.env });
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  test("a state of another stack", async () => {
    const other = path.join(dir, "other.json");
    fs.writeFileSync(other, JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "x", outputs: {}, resources: [] }));
    const r = await status([], other);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no --state holds a resource of the stacks");
  });

  test("no Databricks credentials", async () => {
    const env = { ...process.env };
    delete env.DATABRICKS_CLIENT_ID;
    delete env.DATABRICKS_CLIENT_SECRET;
    const r = await status([], writeState(dir), env);
    expect(r.code).toBe(2);
    expect(r.err).toContain("set DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET");
  });

  test("a wrong client secret: refused, and the secret is not printed", async () => {
    const r = await status([], writeState(dir), { ...process.env, DATABRICKS_CLIENT_SECRET: "wrong-secret-value" });
    expect(r.code).toBe(2);
    expect(r.err).toContain("Databricks refused the OAuth token request (HTTP 401: Client authentication failed)");
    expect(r.out + r.err).not.toContain("wrong-secret-value");
  });

  test("AWS refuses (AccessDenied): the permission to grant", async () => {
    elb.failures.set("DescribeTargetHealth *", Object.assign(new Error("User is not authorized"), { name: "AccessDenied" }));
    try {
      const r = await status();
      expect(r.code).toBe(2);
      expect(r.err).toContain("AWS refused DescribeTargetHealth of");
      expect(r.err).toContain("the credentials need elasticloadbalancing:DescribeTargetHealth");
      expect(r.out + r.err).not.toContain(SECRET);
    } finally {
      elb.failures.clear();
    }
  });
});
