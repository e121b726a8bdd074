// The stacks Terraform judges: every example and a matrix of configurations, each a small
// cdktf program synthesized fresh, with the DNS answers and variable values it is planned with.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { App, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import { DatabricksServerlessStack } from "../../../examples/databricks-serverless/stack";
import { ManyDatabasesStack } from "../../../examples/many-databases/stack";
import { TransparentPortsStack } from "../../../examples/transparent-ports/stack";
import { DatabricksNcc, PortAssignment, PrivateLinkRouter, PrivateLinkRouterProps, RouterTarget } from "../../../src";

export const VPC = "vpc-0123456789abcdef0";
export const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
/** Strings Terraform would read as templates or that JSON must escape: they must reach AWS as written. */
/** A serviceName teams use, longer than the 25 characters an AWS name keeps of it. */
export const LONG_SERVICE_NAME = "databricks-serverless-privatelink-prod";
export const HOSTILE = 'q"uote \\back ${var.nope} %{ if true }x%{ endif } $${kept}';

/** One stack to plan. */
export interface Scenario {
  readonly name: string;
  /** The synthesized `cdk.tf.json`, as an object. */
  readonly config: () => any;
  /** The synthesized stack folder, when the stack has assets (the IP sync's zip). */
  readonly stackDir?: () => string;
  /** DNS answers (default: one private address per literal host of the config). */
  readonly dns?: { [host: string]: string[] };
  /** `-var` values. */
  readonly vars?: { [name: string]: unknown };
}

/** A fresh app and stack with an aws provider and an account-level databricks provider. */
export function stackWithProviders(id = "s"): { app: App; stack: TerraformStack; databricks: DatabricksProvider } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const databricks = new DatabricksProvider(stack, "databricks", {
    alias: "account", host: "https://accounts.cloud.databricks.com", accountId: "00000000-0000-0000-0000-000000000000",
  });
  return { app, stack, databricks };
}

export function synth(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** Synthesizes a stack to its app's folder, assets included; returns the stack folder. */
export function synthToDir(stack: TerraformStack): string {
  const app = App.of(stack);
  app.synth();
  return path.join(app.outdir, "stacks", stack.node.id);
}

/** A router with IP sync (its own ELB endpoint) and alarms, and one with IP sync through given CIDRs. */
export function ipSyncStack(): TerraformStack {
  const { stack } = stackWithProviders("ipsync");
  router(stack, "Router", {
    egressCidrs: ["10.60.0.0/16"],
    ipSync: { deregisterAfterMisses: 3, dnsServers: ["10.60.0.2", "10.60.0.3:5353"] },
    alarms: { actions: ["arn:aws:sns:us-east-1:111122223333:db-alerts"], evaluationPeriods: 3, noNewConnectionsMinutes: 60 },
    targets: [...hosts(2, 5432), { name: "erp", ips: ["10.60.1.7"], port: 1433 }],
  });
  router(stack, "Other", {
    serviceName: "other",
    egressCidrs: ["10.61.0.0/16"],
    ipSync: {
      createElbEndpoint: false, apiEgressCidrs: ["10.0.128.0/24"], schedule: "rate(5 minutes)",
      eventSourceAccounts: ["111122223333", "012345678901"],
    },
    alarms: { actions: ["arn:aws:sns:us-east-1:111122223333:db-alerts"] },
    targets: hosts(1, 3306, "my"),
  });
  return stack;
}

/** `n` host targets `db0`.. on `port`. */
export function hosts(n: number, port = 5432, prefix = "db"): RouterTarget[] {
  return Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, host: `${prefix}${i}.internal.example.com`, port }));
}

/** A deterministic private address for a host (10.x.y.z). */
export function addressOf(host: string, n = 0): string {
  const h = createHash("sha256").update(`${host}#${n}`).digest();
  return `10.${h[0]}.${h[1]}.${(h[2] % 250) + 1}`;
}

/** One address per literal host of a synthesized config (every router's `targets` local). */
export function defaultDns(config: any): { [host: string]: string[] } {
  const out: { [host: string]: string[] } = {};
  for (const [key, value] of Object.entries<any>(config.locals ?? {})) {
    if (!/_targets_[0-9A-F]+$/.test(key) || typeof value !== "object") continue;
    for (const entry of Object.values<any>(value)) {
      if (typeof entry.host === "string" && !entry.host.includes("${")) out[entry.host] = [addressOf(entry.host)];
    }
  }
  return out;
}

function router(stack: TerraformStack, id: string, props: Partial<PrivateLinkRouterProps>): PrivateLinkRouter {
  return new PrivateLinkRouter(stack, id, { vpcId: VPC, subnetIds: SUBNETS, ...props });
}

/** The props the token stack and its literal twin share, as literal values. */
export const TOKEN_VALUES = {
  vpc_id: VPC,
  subnet_ids: SUBNETS,
  idle_timeout: 900,
  deregistration_delay: 30,
  hc_port: "8080",
  hc_path: "/health",
  hc_interval: 20,
  hc_timeout: 5,
  hc_healthy: 4,
  hc_unhealthy: 2,
  ingress_cidrs: ["10.50.0.0/16"],
  egress_cidrs: ["10.60.0.0/16", "10.61.0.0/16"],
  principal: "arn:aws:iam::111122223333:root",
  tags: { team: "data", cost_center: "42" },
  host: "orders.cluster-abc.us-east-1.rds.amazonaws.com",
  ncc_id: "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
  domain_name: "erp.corp.internal",
  workspace_ids: [1234567890123456, 2345678901234567],
  schedule: "rate(2 minutes)",
  misses: 2,
  dns_servers: ["10.60.0.2"],
  api_cidrs: ["10.0.128.0/24"],
  event_accounts: ["111122223333", "012345678901"],
  alarm_actions: ["arn:aws:sns:us-east-1:111122223333:db-alerts"],
  evaluation_periods: 4,
};

/**
 * The same router and NCC with every prop that accepts a token given as one (`tokens: true`, a
 * TerraformVariable each) or as the literal value (`tokens: false`): the plans must be equal.
 */
export function tokenStack(tokens: boolean): string {
  const { stack, databricks } = stackWithProviders(); // one id: names hash the construct path
  const v = TOKEN_VALUES;
  const made = new Map<string, TerraformVariable>();
  const variable = (name: keyof typeof TOKEN_VALUES, type: string) => {
    if (!made.has(name)) made.set(name, new TerraformVariable(stack, name, { type }));
    return made.get(name)!;
  };
  const str = (name: keyof typeof TOKEN_VALUES): string => (tokens ? variable(name, "string").stringValue : (v[name] as string));
  const num = (name: keyof typeof TOKEN_VALUES): number => (tokens ? variable(name, "number").numberValue : (v[name] as number));
  const list = (name: keyof typeof TOKEN_VALUES): string[] => (tokens ? variable(name, "list(string)").listValue : (v[name] as string[]));
  const r = router(stack, "Router", {
    vpcId: str("vpc_id"),
    subnetIds: list("subnet_ids"),
    tcpIdleTimeoutSeconds: num("idle_timeout"),
    deregistrationDelaySeconds: num("deregistration_delay"),
    healthCheck: {
      protocol: "HTTP",
      port: str("hc_port"),
      path: str("hc_path"),
      intervalSeconds: num("hc_interval"),
      timeoutSeconds: num("hc_timeout"),
      healthyThreshold: num("hc_healthy"),
      unhealthyThreshold: num("hc_unhealthy"),
    },
    ingressCidrs: list("ingress_cidrs"),
    egressCidrs: list("egress_cidrs"),
    allowedPrincipals: [str("principal")],
    tags: tokens ? Token.asStringMap(variable("tags", "map(string)").value) : v.tags,
    ipSync: {
      schedule: str("schedule"), deregisterAfterMisses: num("misses"), dnsServers: list("dns_servers"),
      createElbEndpoint: false, apiEgressCidrs: list("api_cidrs"), eventSourceAccounts: list("event_accounts"),
    },
    alarms: { actions: list("alarm_actions"), evaluationPeriods: num("evaluation_periods") },
    targets: [
      { name: "orders", host: str("host"), port: 5432 },
      { name: "erp", ips: ["10.60.1.7"], port: 1433 },
    ],
  });
  const ncc = new DatabricksNcc(stack, "Ncc", {
    region: "us-east-1",
    networkConnectivityConfigId: str("ncc_id"),
    workspaceIds: tokens ? Token.asNumberList(variable("workspace_ids", "list(number)").value) : v.workspace_ids,
    provider: databricks,
  });
  ncc.addRouter(r, { domainNames: [str("host"), str("domain_name")] });
  return synthToDir(stack);
}

/** Variable values for the token stack (the same values its literal twin writes). */
export const TOKEN_VARS: { [name: string]: unknown } = TOKEN_VALUES;

/** The matrix `npm run test:terraform` plans. */
export function scenarios(): Scenario[] {
  return [
    { name: "example-databricks-serverless", config: () => exampleConfig((app) => new DatabricksServerlessStack(app, "databricks-serverless")) },
    { name: "example-transparent-ports", config: () => exampleConfig((app) => new TransparentPortsStack(app, "transparent-ports")) },
    { name: "example-many-databases", config: () => exampleConfig((app) => new ManyDatabasesStack(app, "many-databases")) },
    {
      name: "sequential-three-shards",
      config: () => {
        const { stack } = stackWithProviders();
        router(stack, "Router", { targets: hosts(120) });
        return synth(stack);
      },
    },
    {
      name: "target-port-two-shards",
      config: () => {
        const { stack, databricks } = stackWithProviders();
        const r = router(stack, "Router", {
          portAssignment: PortAssignment.TARGET_PORT,
          maxTargetsPerLoadBalancer: 10,
          targets: [...hosts(3, 5432, "pg"), ...hosts(2, 3306, "my")],
        });
        new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [r], provider: databricks });
        return synth(stack);
      },
    },
    {
      name: "cidrs-http-tcp-udp",
      config: () => {
        const { stack } = stackWithProviders();
        router(stack, "Router", {
          ingressCidrs: ["10.50.0.0/16", "192.168.10.0/24"],
          egressCidrs: ["10.60.0.0/16"],
          healthCheck: { protocol: "HTTP", path: "/status", port: "8080" },
          targets: [
            { name: "pg", host: "pg.internal.example.com", port: 5432 },
            { name: "dns", ips: ["10.60.0.53"], port: 53, protocol: "TCP_UDP", healthCheck: { protocol: "TCP" } },
            { name: "syslog", ips: ["10.60.0.54"], port: 514, protocol: "UDP" },
            { name: "local", ips: ["10.60.0.55"], port: 6379, availabilityZone: "auto" },
          ],
        });
        return synth(stack);
      },
    },
    {
      name: "several-routers-one-ncc",
      config: () => {
        const { stack, databricks } = stackWithProviders();
        const a = router(stack, "RouterA", { serviceName: "team-a", maxTargetsPerLoadBalancer: 10, targets: hosts(12, 5432, "a") });
        const b = router(stack, "RouterB", { serviceName: "team-b", targets: hosts(3, 3306, "b") });
        new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [a, b], workspaceIds: [1234567890123456], provider: databricks });
        return synth(stack);
      },
    },
    {
      name: "existing-ncc-by-id",
      config: () => {
        const { stack, databricks } = stackWithProviders();
        const r = router(stack, "Router", { targets: hosts(2) });
        new DatabricksNcc(stack, "Ncc", { region: "us-east-1", networkConnectivityConfigId: TOKEN_VALUES.ncc_id, routers: [r], provider: databricks });
        return synth(stack);
      },
    },
    { name: "ip-sync-and-alarms", config: () => configIn(ipSyncDir()), stackDir: ipSyncDir },
    { name: "tokens", config: () => configIn(tokensDir(true)), stackDir: () => tokensDir(true), vars: TOKEN_VARS, dns: { [TOKEN_VALUES.host]: ["10.60.2.8"] } },
    { name: "tokens-literal-twin", config: () => configIn(tokensDir(false)), stackDir: () => tokensDir(false), dns: { [TOKEN_VALUES.host]: ["10.60.2.8"] } },
    {
      // Per-target domain names on literal IPs, 10 per shard (6 rules), a long serviceName.
      name: "ip-targets-with-domain-names",
      config: () => {
        const { stack, databricks } = stackWithProviders();
        const targets = Array.from({ length: 60 }, (_, i) => ({ name: `db${i}`, ips: [`10.70.${i}.10`], port: 5432, domainName: `db${i}.db.internal` }));
        const r = router(stack, "Router", { serviceName: LONG_SERVICE_NAME, maxTargetsPerLoadBalancer: 10, targets });
        new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [r], provider: databricks });
        return synth(stack);
      },
    },
    {
      // A greenfield network account: the VPC, its subnets and a peer network's CIDR (from IPAM,
      // unknown until apply) are made in the same stack and passed in as tokens.
      name: "vpc-created-in-stack",
      config: () => {
        const { stack, databricks } = stackWithProviders();
        const vpc = new Vpc(stack, "Vpc", { cidrBlock: "10.20.0.0/16" });
        const subnets = ["a", "b"].map((az, i) => new Subnet(stack, `Subnet${az}`, { vpcId: vpc.id, cidrBlock: `10.20.${i}.0/24`, availabilityZone: `us-east-1${az}` }));
        const peer = new Vpc(stack, "Peer", { ipv4IpamPoolId: "ipam-pool-0123456789abcdef0", ipv4NetmaskLength: 16 });
        const common = { vpcId: vpc.id, subnetIds: subnets.map((sn) => sn.id) };
        const r = new PrivateLinkRouter(stack, "Router", {
          ...common,
          alarms: { actions: ["arn:aws:sns:us-east-1:111122223333:db-alerts"] },
          targets: [...hosts(2), { name: "erp", ips: ["10.9.0.1"], port: 1433, domainName: "erp.corp.internal" }],
        });
        new PrivateLinkRouter(stack, "Cidrs", {
          ...common,
          serviceName: "cidrs",
          egressCidrs: [peer.cidrBlock, "10.8.0.0/16"],
          ingressCidrs: [peer.cidrBlock],
          targets: [{ name: "x", ips: ["10.8.0.5"], port: 5432 }, { name: "y", host: "y.internal.example.com", port: 5432 }],
        });
        new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [r], provider: databricks });
        return synth(stack);
      },
    },
    {
      // Targets added after the NCC connected the router: one joins shard 0's rule, one opens shard 1.
      name: "late-targets-after-add-router",
      config: () => {
        const { stack, databricks } = stackWithProviders();
        const r = router(stack, "Router", { maxTargetsPerLoadBalancer: 2, targets: hosts(1) });
        new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [r], provider: databricks });
        r.addTarget({ name: "late1", host: "late1.internal.example.com", port: 5432 });
        r.addTarget({ name: "late2", host: "late2.internal.example.com", port: 5432 });
        return synth(stack);
      },
    },
    {
      name: "hostile-strings",
      config: () => {
        const { stack } = stackWithProviders();
        router(stack, "Router", {
          tags: { note: HOSTILE, [`key ${"${x}"}`]: "v" },
          healthCheck: { protocol: "HTTP", path: `/health?q=${HOSTILE.replace(/\s/g, "")}` },
          targets: [{ name: "pg", ips: ["10.1.2.3"], port: 5432 }],
        });
        return synth(stack);
      },
    },
  ];
}

/** The synthesized `cdk.tf.json` of a stack folder. */
function configIn(dir: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
}

const tokensSynthesized = new Map<boolean, string>();
function tokensDir(tokens: boolean): string {
  if (!tokensSynthesized.has(tokens)) tokensSynthesized.set(tokens, tokenStack(tokens));
  return tokensSynthesized.get(tokens)!;
}

let ipSyncSynthesized: string | undefined;
function ipSyncDir(): string {
  ipSyncSynthesized ??= synthToDir(ipSyncStack());
  return ipSyncSynthesized;
}

function exampleConfig(make: (app: App) => TerraformStack): any {
  const app = Testing.app();
  return synth(make(app));
}
