import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { DatabricksNcc, DatabricksNccProps, HealthCheckOptions, PortAssignment, PrivateLinkRouter, PrivateLinkRouterProps, RouterTarget } from "../../src";
import { dnsTargets, newStack, routerProps } from "../helpers";

/** One bad input: what it is, and how to provoke it in a fresh stack. */
export interface BadInput {
  readonly input: string;
  readonly provoke: (stack: TerraformStack) => unknown;
  /** The exact message, construct path included (the test stack is "test"). */
  readonly message: string;
}

/** Port map files the cases read (never written: each case fails before synthesis writes). */
const FIXTURES = "test/robustness/fixtures";
const T: RouterTarget = { name: "db", host: "db.example.com", port: 5432 };
const router = (extra: Partial<PrivateLinkRouterProps>) => (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ targets: [T], ...extra }));
const target = (t: Partial<RouterTarget>) => router({ targets: [{ ...T, ...t } as RouterTarget] });
const hc = (h: HealthCheckOptions) => router({ healthCheck: h });
const ncc = (props: Partial<DatabricksNccProps>) => (s: TerraformStack) => new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s), ...props });
const databricksOf = (s: TerraformStack) => s.node.tryFindChild("databricks") as any;
const variable = (s: TerraformStack, name: string) => new TerraformVariable(s, name, { type: "string" });
const connect = (targets: RouterTarget[], extra: Partial<PrivateLinkRouterProps> = {}, domainNames?: string[]) => (s: TerraformStack) =>
  new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s) }).addRouter(new PrivateLinkRouter(s, "Router", routerProps({ targets, ...extra })), domainNames ? { domainNames } : undefined);

/** Every validated input, in the order the README lists them. */
export const BAD_INPUTS: BadInput[] = [
  { input: "vpcId", provoke: router({ vpcId: "vpc-123" }),
    message: "test/Router: `vpcId` must be a VPC id like vpc-0123456789abcdef0 (got \"vpc-123\"); change it to match" },
  { input: "subnetIds empty", provoke: router({ subnetIds: [] }),
    message: "test/Router: `subnetIds` must list at least one subnet (got []); give one subnet per Availability Zone of the VPC" },
  { input: "subnetIds entry", provoke: router({ subnetIds: ["sn-1"] }),
    message: "test/Router: `subnetIds[0]` must be a subnet id like subnet-0123456789abcdef0 (got \"sn-1\"); change it to match" },
  { input: "subnetIds repeated", provoke: router({ subnetIds: ["subnet-0123abcd", "subnet-0123abcd"] }),
    message: "test/Router: `subnetIds` lists \"subnet-0123abcd\" twice; list each subnet once" },
  { input: "serviceName", provoke: router({ serviceName: "internal-db" }),
    message: "test/Router: `serviceName` must be 1-64 letters, digits and inner hyphens, not starting with \"internal-\" (it prefixes every AWS name, cut to fit with a hash) (got \"internal-db\"); change it to match" },
  { input: "basePort", provoke: router({ basePort: 70000 }),
    message: "test/Router: `basePort` must be a whole number from 1 to 65535 (got 70000); use a TCP/UDP port from 1 to 65535" },
  { input: "portAssignment", provoke: router({ portAssignment: "RANDOM" as any }),
    message: "test/Router: `portAssignment` must be one of SEQUENTIAL, TARGET_PORT (got \"RANDOM\"); use one of those values" },
  { input: "maxTargetsPerLoadBalancer", provoke: router({ maxTargetsPerLoadBalancer: 51 }),
    message: "test/Router: `maxTargetsPerLoadBalancer` must be a whole number from 1 to 50 (got 51); AWS allows at most 50 listeners per Network Load Balancer (not adjustable); use 1 to 50" },
  { input: "tcpIdleTimeoutSeconds", provoke: router({ tcpIdleTimeoutSeconds: 30 }),
    message: "test/Router: `tcpIdleTimeoutSeconds` must be a whole number from 60 to 6000 (got 30); use a value from 60 to 6000" },
  { input: "deregistrationDelaySeconds", provoke: router({ deregistrationDelaySeconds: 3601 }),
    message: "test/Router: `deregistrationDelaySeconds` must be a whole number from 0 to 3600 (got 3601); use a value from 0 to 3600" },
  { input: "portMapFile", provoke: router({ portMapFile: " " }),
    message: "test/Router: `portMapFile` must be a file path (got \" \"); e.g. \"ports.json\", beside cdktf.json" },
  { input: "ingressCidrs: not a CIDR", provoke: router({ ingressCidrs: ["10.0.0.0"] }),
    message: "test/Router: `ingressCidrs[0]` must be an IPv4 CIDR block like 10.20.0.0/16 (got \"10.0.0.0\"); write the address and the prefix length" },
  { input: "ingressCidrs: 0.0.0.0/0", provoke: router({ ingressCidrs: ["0.0.0.0/0"] }),
    message: "test/Router: `ingressCidrs[0]` must not be 0.0.0.0/0: the router never opens its security group to every address; list the networks that need access" },
  { input: "ingressCidrs: host bits", provoke: router({ ingressCidrs: ["10.0.0.1/8"] }),
    message: "test/Router: `ingressCidrs[0]` has host bits set (got \"10.0.0.1/8\"); write the network address of the block" },
  { input: "egressCidrs empty", provoke: router({ egressCidrs: [] }),
    message: "test/Router: `egressCidrs` is empty, which would let the load balancers reach no target; leave it unset for per-IP rules, or list the targets' networks" },
  { input: "egressCidrs public", provoke: router({ egressCidrs: ["8.8.8.0/24"] }),
    message: "test/Router: `egressCidrs[0]` must lie inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10) (got \"8.8.8.0/24\"); NLB targets are private addresses, so egress only needs those" },
  { input: "tags", provoke: router({ tags: { "aws:owner": "me" } }),
    message: "test/Router: `tags` has an invalid tag \"aws:owner\"=\"me\"; keys are 1-128 characters and must not start with \"aws:\", values at most 256 characters" },
  { input: "tags key token", provoke: (s) => router({ tags: { [variable(s, "k").stringValue]: "v" } })(s),
    message: "test/Router: `tags` has a key that is a token; tag keys must be literal (values may be tokens), or pass the whole map as one token" },
  { input: "allowedPrincipals *", provoke: router({ allowedPrincipals: ["*"] }),
    message: "test/Router: `allowedPrincipals` must not contain \"*\" (got \"*\"): it lets every AWS account connect; list the IAM principals that may connect" },
  { input: "allowedPrincipals malformed", provoke: router({ allowedPrincipals: ["arn:aws:iam::12:root"] }),
    message: "test/Router: `allowedPrincipals` must be an IAM principal ARN like arn:aws:iam::123456789012:root or arn:aws:iam::123456789012:role/name (got \"arn:aws:iam::12:root\"); write the full ARN" },
  { input: "no aws provider", provoke: (s) => new PrivateLinkRouter(newStack({ aws: false }).stack, "Router", routerProps({ targets: [T] })) && s,
    message: "test/Router: no aws provider: the stack test declares no default AWS provider, and `awsProvider` is not set; declare `new AwsProvider(stack, \"aws\", { region })` before the router, or pass `awsProvider`" },
  { input: "target neither host nor ips", provoke: target({ host: undefined }),
    message: "test/Router: target \"db\" must set exactly one of `host` and `ips` (got neither); give a DNS name in `host` or literal addresses in `ips`" },
  { input: "target both host and ips", provoke: target({ ips: ["10.0.0.1"] }),
    message: "test/Router: target \"db\" must set exactly one of `host` and `ips` (got both); give a DNS name in `host` or literal addresses in `ips`" },
  { input: "target host is an IP", provoke: target({ host: "10.0.0.1" }),
    message: "test/Router: `targets[\"db\"].host` is an IP address (got \"10.0.0.1\"); put literal addresses in `ips` instead" },
  { input: "target host malformed", provoke: target({ host: "db_1.example.com" }),
    message: "test/Router: `targets[\"db\"].host` must be a DNS name of at most 253 characters, labels of letters, digits and inner hyphens (got \"db_1.example.com\"); use the database's endpoint name, e.g. orders.cluster-abc.us-east-1.rds.amazonaws.com" },
  { input: "target ips empty", provoke: target({ host: undefined, ips: [] }),
    message: "test/Router: `targets[\"db\"].ips` must list at least one address (got []); give the database's private IPs" },
  { input: "target ips not IPv4", provoke: target({ host: undefined, ips: ["db.example.com"] }),
    message: "test/Router: `targets[\"db\"].ips` must be an IPv4 address like 10.1.2.3 (got \"db.example.com\"); use `host` for a DNS name" },
  { input: "target ips public", provoke: target({ host: undefined, ips: ["8.8.8.8"] }),
    message: "test/Router: `targets[\"db\"].ips` must be a private IPv4 address in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (got \"8.8.8.8\"); an NLB refuses public IP targets: route the database's private address over Transit Gateway" },
  { input: "target ips repeated", provoke: target({ host: undefined, ips: ["10.0.0.1", "10.0.0.1"] }),
    message: "test/Router: `targets[\"db\"].ips` lists 10.0.0.1 twice; list each address once" },
  { input: "target ips outside egressCidrs", provoke: router({ targets: [{ ...T, host: undefined, ips: ["10.9.0.1"] }], egressCidrs: ["10.8.0.0/16"] }),
    message: "test/Router: `targets[\"db\"].ips` has 10.9.0.1, outside every `egressCidrs` block (10.8.0.0/16), so the load balancer could never reach it; add its network to `egressCidrs`" },
  { input: "target name", provoke: target({ name: "orders/eu" }),
    message: "test/Router: `targets[\"orders/eu\"].name` must be 1-64 letters, digits, \".\", \"_\" or \"-\", starting with a letter or digit (got \"orders/eu\"); set `name`" },
  { input: "target name repeated", provoke: router({ targets: [T, { ...T, host: "db.other.example.com" }] }),
    message: "test/Router: two targets are named \"db\"; target names are the stable keys of their resources: give each target a distinct `name`" },
  { input: "target name derived twice", provoke: router({ targets: [{ host: "db.a.example.com", port: 1 }, { host: "db.b.example.com", port: 2 }] }),
    message: "test/Router: two targets are named \"db\" (derived from the first label of `host`); target names are the stable keys of their resources: give each target a distinct `name`" },
  { input: "target port", provoke: target({ port: 0 }),
    message: "test/Router: `targets[\"db\"].port` must be a whole number from 1 to 65535 (got 0); use a TCP/UDP port from 1 to 65535" },
  { input: "target port missing", provoke: target({ port: undefined as any }),
    message: "test/Router: `targets[\"db\"].port` is missing; give the database's port, e.g. 5432" },
  { input: "target listenerPort", provoke: target({ listenerPort: 65536 }),
    message: "test/Router: `targets[\"db\"].listenerPort` must be a whole number from 1 to 65535 (got 65536); use a TCP/UDP port from 1 to 65535" },
  { input: "target protocol", provoke: target({ protocol: "TLS" }),
    message: "test/Router: `targets[\"db\"].protocol` must be one of TCP, UDP, TCP_UDP (got \"TLS\"); use one of those values" },
  { input: "target domainName", provoke: target({ domainName: "orders db" }),
    message: "test/Router: `targets[\"db\"].domainName` must be a DNS name of at most 253 characters, labels of letters, digits and inner hyphens (got \"orders db\"); use the database's endpoint name, e.g. orders.cluster-abc.us-east-1.rds.amazonaws.com" },
  { input: "target domainName token", provoke: (s) => target({ domainName: variable(s, "d").stringValue })(s),
    message: "test/Router: `targets[\"db\"].domainName` is a token; it must be literal because it decides which private endpoint rule carries the target" },
  { input: "target protocol token", provoke: (s) => target({ protocol: variable(s, "p").stringValue })(s),
    message: "test/Router: `targets[\"db\"].protocol` is a token; it must be literal because it decides the target's listener, rules and registration" },
  { input: "target availabilityZone", provoke: target({ availabilityZone: "anywhere" }),
    message: "test/Router: `targets[\"db\"].availabilityZone` must be \"all\" (IPs outside the VPC), \"auto\" (IPs inside it) or an Availability Zone name like us-east-1a (got \"anywhere\"); change it to match" },
  { input: "healthCheck protocol", provoke: hc({ protocol: "UDP" }),
    message: "test/Router: `healthCheck.protocol` must be one of TCP, HTTP, HTTPS (got \"UDP\"); use one of those values" },
  { input: "healthCheck protocol token", provoke: (s) => hc({ protocol: variable(s, "p").stringValue })(s),
    message: "test/Router: `healthCheck.protocol` is a token; it must be literal (\"TCP\", \"HTTP\" or \"HTTPS\") because it decides which other health-check fields apply" },
  { input: "healthCheck port", provoke: hc({ port: "any" }),
    message: "test/Router: `healthCheck.port` must be \"traffic-port\" or a port from 1 to 65535 as a string (got \"any\"); e.g. \"8080\"" },
  { input: "healthCheck path on TCP", provoke: hc({ path: "/health" }),
    message: "test/Router: `healthCheck.path` is only for HTTP and HTTPS health checks (got path \"/health\" with protocol TCP); remove path or set protocol \"HTTP\"" },
  { input: "healthCheck path", provoke: hc({ protocol: "HTTP", path: "health" }),
    message: "test/Router: `healthCheck.path` must start with \"/\" and have no spaces, at most 1024 characters (got \"health\"); e.g. \"/health\"" },
  { input: "healthCheck thresholds", provoke: hc({ healthyThreshold: 1 }),
    message: "test/Router: `healthCheck.healthyThreshold` must be a whole number from 2 to 10 (got 1); use a value from 2 to 10" },
  { input: "healthCheck interval", provoke: hc({ intervalSeconds: 301 }),
    message: "test/Router: `healthCheck.intervalSeconds` must be a whole number from 5 to 300 (got 301); use a value from 5 to 300" },
  { input: "healthCheck timeout", provoke: hc({ timeoutSeconds: 121 }),
    message: "test/Router: `healthCheck.timeoutSeconds` must be a whole number from 2 to 120 (got 121); use a value from 2 to 120" },
  { input: "healthCheck interval <= timeout", provoke: hc({ intervalSeconds: 10, timeoutSeconds: 10 }),
    message: "test/Router: `healthCheck.intervalSeconds` must be greater than `timeoutSeconds` (got interval 10, timeout 10); AWS refuses \"Health check interval must be greater than the timeout\": raise the interval or lower the timeout" },
  { input: "duplicate pinned listenerPort", provoke: router({ targets: [{ ...T, listenerPort: 15000 }, { ...T, name: "db2", listenerPort: 15000 }] }),
    message: "test/Router: `listenerPort` 15000 of target \"db2\" is already the listener port of target \"db\" (pinned); pin another port or remove one of the two pins" },
  { input: "basePort overflow", provoke: router({ basePort: 65535, targets: dnsTargets(2) }),
    message: "test/Router: no free listener port is left for target \"db1\": `basePort` 65535 plus the targets placed so far passes 65535; lower `basePort`" },
  { input: "security group egress quota", provoke: target({ host: undefined, ips: Array.from({ length: 61 }, (_, i) => `10.0.0.${i + 1}`) }),
    message: "test/Router: target \"db\" brings shard 0's outbound rules to at least 61, over the 60-rule security group quota; set `egressCidrs` to the targets' networks (one rule per CIDR and port) or lower `maxTargetsPerLoadBalancer`" },
  { input: "security group ingress quota", provoke: router({ targets: dnsTargets(7), ingressCidrs: Array.from({ length: 9 }, (_, i) => `10.${i}.0.0/16`) }),
    message: "test/Router: target \"db6\" brings shard 0's inbound rules to 63 (`ingressCidrs` x listener ports), over the 60-rule security group quota; list fewer `ingressCidrs` (PrivateLink traffic needs none) or lower `maxTargetsPerLoadBalancer`" },
  { input: "portOf unknown name", provoke: (s) => router({})(s).portOf("nope"),
    message: "test/Router: portOf(\"nope\"): no target has that name (targets: db); use a target's `name`" },
  { input: "NCC region", provoke: ncc({ region: "useast1" }),
    message: "test/Ncc: `region` must be an AWS region like us-east-1 (got \"useast1\"); change it to match" },
  { input: "NCC name", provoke: ncc({ name: "ab" }),
    message: "test/Ncc: `name` must be 3-30 letters, digits, \"-\" or \"_\" (^[0-9a-zA-Z-_]{3,30}$) (got \"ab\"); change it to match" },
  { input: "NCC name and id", provoke: ncc({ name: "abc", networkConnectivityConfigId: "0a1b2c3d-4e5f" }),
    message: "test/Ncc: `name` and `networkConnectivityConfigId` are both set (got name \"abc\", id \"0a1b2c3d-4e5f\"); set `name` to create an NCC, or `networkConnectivityConfigId` to use an existing one" },
  { input: "NCC id", provoke: ncc({ networkConnectivityConfigId: "123/abc" }),
    message: "test/Ncc: `networkConnectivityConfigId` must be an NCC id like 0a1b2c3d-4e5f-6789-abcd-ef0123456789 (got \"123/abc\"); use the id, not the \"<account>/<id>\" Terraform id" },
  { input: "NCC workspaces over 50", provoke: ncc({ workspaceIds: Array.from({ length: 51 }, (_, i) => i + 1) }),
    message: "test/Ncc: `workspaceIds` lists 51 workspaces; an NCC serves at most 50: split them across two NCCs" },
  { input: "NCC workspace id", provoke: ncc({ workspaceIds: [-1] }),
    message: "test/Ncc: `workspaceIds[0]` must be a positive whole number, the workspace id (got -1); copy it from the workspace URL (?o=<id>)" },
  { input: "NCC databricksPrincipal", provoke: ncc({ databricksPrincipal: "*" }),
    message: "test/Ncc: `databricksPrincipal` must not contain \"*\" (got \"*\"): it lets every AWS account connect; list the IAM principals that may connect" },
  { input: "NCC without databricks provider", provoke: () => new DatabricksNcc(newStack({ databricks: false }).stack, "Ncc", { region: "us-east-1" }),
    message: "test/Ncc: no databricks provider: the stack declares no default databricks provider and `provider` is not set; declare an account-level `new DatabricksProvider(stack, \"databricks\", { host: \"https://accounts.cloud.databricks.com\", accountId })` and pass it as `provider`" },
  { input: "workspace bound twice", provoke: (s) => { ncc({ workspaceIds: [1] })(s); return new DatabricksNcc(s, "Other", { region: "us-east-1", provider: databricksOf(s), workspaceIds: [1] }); },
    message: "test/Other: workspace 1 is already bound to test/Ncc; a workspace has one NCC (a second binding replaces the first): bind it once" },
  { input: "11 NCCs in a region", provoke: (s) => Array.from({ length: 11 }, (_, i) => new DatabricksNcc(s, `Ncc${i}`, { region: "us-east-1", provider: databricksOf(s) })),
    message: "test/Ncc10: this would be NCC number 11 in us-east-1 for one Databricks account; Databricks allows 10 per region: share an NCC between workspaces (up to 50) instead" },
  { input: "addRouter: ips target without domainName", provoke: connect([{ ...T, host: undefined, ips: ["10.0.0.1"] }]),
    message: "test/Ncc: target \"db\" of router test/Router shard 0 has literal `ips` and no `domainName`, so notebooks would have no name to reach it by; set `domainName` on the target (a name in a private zone you control, e.g. \"db.db.internal\")" },
  { input: "addRouter: over 10 domain names", provoke: connect(dnsTargets(11)),
    message: "test/Ncc: router test/Router shard 0 needs 11 domain names, over Databricks' 10 per private endpoint rule; lower `maxTargetsPerLoadBalancer` on the router to 10 (at most 10 names per shard), or let targets share a `domainName`" },
  { input: "addRouter: domainNames on several shards", provoke: connect(dnsTargets(2), { maxTargetsPerLoadBalancer: 1 }, ["a.example.com"]),
    message: "test/Ncc: addRouter(): `domainNames` was given for test/Router, which has 2 shards; a domain name leads to one endpoint, so explicit names only fit a one-shard router: give each target its `domainName` instead" },
  { input: "addRouter: cross-region with one subnet",
    provoke: (s) => new DatabricksNcc(s, "Ncc", { region: "eu-west-1", provider: databricksOf(s) }).addRouter(new PrivateLinkRouter(s, "Router", routerProps({ targets: [T], subnetIds: ["subnet-0123456789abcdef0"] }))),
    message: "test/Router: the router's region us-east-1 differs from the consumer's eu-west-1, and cross-region PrivateLink needs the load balancers in at least two Availability Zones, but `subnetIds` lists [\"subnet-0123456789abcdef0\"]; give one subnet in each of two or more Availability Zones" },
  { input: "addRouter: domainNames empty", provoke: connect([T], {}, []),
    message: "test/Ncc: addRouter(): `domainNames` is empty for router test/Router shard 0; give 1-10 names, or give each target its `domainName`" },
  { input: "addRouter: domain name repeated", provoke: connect([T], {}, ["a.example.com", "a.example.com"]),
    message: "test/Ncc: addRouter(): `domainNames` lists \"a.example.com\" twice (domain names are case-insensitive); list each name once" },
  { input: "addRouter: over 30 rules", provoke: connect(dnsTargets(31), { maxTargetsPerLoadBalancer: 1 }),
    message: "test/Ncc: router test/Router needs 31 private endpoint rule(s), bringing us-east-1 to 31; Databricks allows 30 per region across all NCCs: raise `maxTargetsPerLoadBalancer` (fewer shards) or connect fewer routers" },
  { input: "addRouter: router without targets", provoke: (s) => new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s) }).addRouter(new PrivateLinkRouter(s, "Router", routerProps())),
    message: "test/Ncc: addRouter(): router test/Router has no targets yet; add its targets first, then call addRouter()" },
  { input: "addRouter: router in another stack, no awsProvider",
    provoke: (s) => {
      const other = new TerraformStack(s.node.scope!, "network");
      new AwsProvider(other, "aws", { region: "us-east-1" });
      return new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s) }).addRouter(new PrivateLinkRouter(other, "Router", routerProps({ targets: [T] })));
    },
    message: "test/Ncc: addRouter(): router network/Router is in stack network, this NCC in stack test, and the NCC has no `awsProvider`; the NCC accepts the router's endpoint connections from its own stack: give it `awsProvider`, an aws provider in stack test for the router's account and region" },
  { input: "addRouter: awsProvider in another stack",
    provoke: (s) => {
      const other = new TerraformStack(s.node.scope!, "network");
      const aws = new AwsProvider(other, "aws", { region: "us-east-1" });
      return new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s), awsProvider: aws }).addRouter(new PrivateLinkRouter(other, "Router", routerProps({ targets: [T] })));
    },
    message: "test/Ncc: `awsProvider` network/aws is in stack network, not in this NCC's stack test; a resource can only use a provider of its own stack: declare an aws provider in test for the router's account and region" },
  { input: "ipSync without egressCidrs", provoke: router({ ipSync: {} }),
    message: "test/Router: `ipSync` needs `egressCidrs`: per-IP egress rules are written at plan time and cannot follow the IPs the function registers; set `egressCidrs` to the databases' networks" },
  { input: "ipSync schedule", provoke: router({ egressCidrs: ["10.0.0.0/8"], ipSync: { schedule: "every minute" } }),
    message: "test/Router: `ipSync.schedule` must be an EventBridge schedule like \"rate(1 minute)\", \"rate(5 minutes)\" or \"cron(0/2 * * * ? *)\" (got \"every minute\"); write rate(...) or cron(...)" },
  { input: "ipSync deregisterAfterMisses", provoke: router({ egressCidrs: ["10.0.0.0/8"], ipSync: { deregisterAfterMisses: 0 } }),
    message: "test/Router: `ipSync.deregisterAfterMisses` must be a whole number from 1 to 100 (got 0); use a value from 1 to 100" },
  { input: "ipSync dnsServers entry", provoke: router({ egressCidrs: ["10.0.0.0/8"], ipSync: { dnsServers: ["dns.local"] } }),
    message: "test/Router: `ipSync.dnsServers[0]` must be an IPv4 address, optionally with a port, like 10.0.0.2 or 10.0.0.2:53 (got \"dns.local\"); write the resolver's address" },
  { input: "ipSync without the endpoint or apiEgressCidrs", provoke: router({ egressCidrs: ["10.0.0.0/8"], ipSync: { createElbEndpoint: false } }),
    message: "test/Router: `ipSync.createElbEndpoint` is false but `ipSync.apiEgressCidrs` is not set; the function must reach the ELB API on 443: list the CIDRs of your ELB endpoint's subnets (or of your NAT route), or create the endpoint" },
  { input: "alarms actions", provoke: router({ alarms: { actions: [] } }),
    message: "test/Router: `alarms.actions` must list at least one SNS topic ARN (got []); give the topic that pages the database owners" },
  { input: "alarms evaluationPeriods", provoke: router({ alarms: { actions: ["arn:aws:sns:us-east-1:123456789012:t"], evaluationPeriods: 61 } }),
    message: "test/Router: `alarms.evaluationPeriods` must be a whole number from 1 to 60 (got 61); use a value from 1 to 60" },
  // Ports and shards, the port map file, and targets added after addRouter() (as real apps add them).
  { input: "listenerPort on a port given in sequence", provoke: (s) => router({})(s).addTarget({ name: "late", host: "late.example.com", port: 1, listenerPort: 10000 }),
    message: "test/Router: `listenerPort` 10000 of target \"late\" is already the listener port of target \"db\" (given in sequence); pin another port for \"late\", or pass \"late\" in `targets` rather than addTarget(), so that its pin is reserved before ports are given in sequence" },
  { input: "shared domain name, shard full", provoke: router({ maxTargetsPerLoadBalancer: 2, targets: [{ name: "a", host: "sql.corp.internal", port: 1433 }, T, { name: "b", host: "sql.corp.internal", port: 1434 }] }),
    message: "test/Router: targets \"a\" and \"b\" share the domain name \"sql.corp.internal\", so they must share a shard (a name resolves to one endpoint), but shard 0 already holds 2 listeners (`maxTargetsPerLoadBalancer`); declare \"a\" and \"b\" together before the targets that fill shard 0, so that both fit in one shard, raise `maxTargetsPerLoadBalancer`, or give one of them another `domainName`" },
  { input: "portMapFile: not a port map", provoke: router({ portMapFile: `${FIXTURES}/not-a-port-map.json` }),
    message: "test/Router: `portMapFile` {cwd}/test/robustness/fixtures/not-a-port-map.json is not a version 1 port map ({\"version\":1,\"targets\":{name:{listenerPort,shard}},\"retired\":{...}}); fix it from version control or delete it to start over" },
  { input: "portMapFile: shards over maxTargetsPerLoadBalancer", provoke: router({ portMapFile: `${FIXTURES}/two-in-shard-0.json`, maxTargetsPerLoadBalancer: 1, targets: [T, { ...T, name: "db2" }] }),
    message: "test/Router: `portMapFile` records more targets in a shard than `maxTargetsPerLoadBalancer` 1 allows (shard 0: 2); 1 target(s) must move: \"db2\" (10001). Delete their entries from \"targets\" in the port map file to give them new ports in new shards, or also pin each one's `listenerPort` to the recorded port shown to keep it; or raise `maxTargetsPerLoadBalancer` back to 2. Their listeners move to new load balancers: see the README, \"Re-sharding\"" },
  { input: "portMapFile: recorded shard full (addTarget)", provoke: (s) => router({ portMapFile: `${FIXTURES}/two-in-shard-0.json`, maxTargetsPerLoadBalancer: 1 })(s).addTarget({ ...T, name: "db2" }),
    message: "test/Router: target \"db2\" is recorded in `portMapFile` in shard 0, which already holds 1 listener (`maxTargetsPerLoadBalancer`); raise `maxTargetsPerLoadBalancer` back, or delete \"db2\" from the port map file to move it" },
  { input: "portMapFile: a shared domain name in two shards", provoke: router({ portMapFile: `${FIXTURES}/shared-name-two-shards.json`, targets: [{ name: "a", host: "sql.corp.internal", port: 1433 }, { name: "b", host: "sql.corp.internal", port: 1434 }] }),
    message: "test/Router: targets \"a\" and \"b\" share the domain name \"sql.corp.internal\" but `portMapFile` records them in shards 0 and 1; a name resolves to one endpoint, so they must share a shard: delete \"b\" from the port map file to move it to shard 0, or give one of them another `domainName`" },
  { input: "portMapFile: read-only and stale", provoke: (s) => {
    router({ portMapFile: `${FIXTURES}/empty.json` })(s);
    process.env.PRIVATELINK_ROUTER_PORT_MAP = "read-only";
    try {
      return Testing.synth(s);
    } finally {
      delete process.env.PRIVATELINK_ROUTER_PORT_MAP;
    }
  },
    message: "test/Router: `portMapFile` {cwd}/test/robustness/fixtures/empty.json would change (targets placed anew: db), and synthesis is read-only (cdktf-privatelink-router:portMapFile = \"read-only\", or PRIVATELINK_ROUTER_PORT_MAP); run `cdktf synth` in the app's directory without read-only mode and commit the file, or check that the path resolves to the committed file (relative paths are resolved against the current directory)" },
  { input: "addTarget after addRouter: new shard, explicit domainNames", provoke: (s) => {
    const r = new PrivateLinkRouter(s, "Router", routerProps({ targets: [T], maxTargetsPerLoadBalancer: 1 }));
    new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s) }).addRouter(r, { domainNames: ["db.example.com"] });
    return r.addTarget({ ...T, name: "db2", host: "db2.example.com" });
  },
    message: "test/Ncc: target \"db2\" opens router test/Router shard 1, but test/Router was connected with explicit `domainNames`, which only fit a one-shard router; give each target its `domainName` and connect the router without `domainNames`" },
  { input: "addTarget after addRouter: 31st rule", provoke: (s) => {
    const r = new PrivateLinkRouter(s, "Router", routerProps({ targets: dnsTargets(30), maxTargetsPerLoadBalancer: 1 }));
    new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s), routers: [r] });
    return r.addTarget({ ...T, name: "late", host: "late.example.com" });
  },
    message: "test/Ncc: target \"late\" opens router test/Router shard 30, which needs private endpoint rule number 31 in us-east-1; Databricks allows 30 per region across all NCCs: raise `maxTargetsPerLoadBalancer` (fewer shards) or connect fewer routers" },
  { input: "router props missing", provoke: (s) => new PrivateLinkRouter(s, "Router", undefined as any),
    message: "test/Router: the router's props must be an object like { vpcId, subnetIds, targets } (got undefined); pass PrivateLinkRouterProps" },
  { input: "vpcId missing", provoke: router({ vpcId: undefined as any }),
    message: "test/Router: `vpcId` is missing (got undefined); give the id of the VPC attached to the Transit Gateway, e.g. vpc-0123456789abcdef0 (an unset environment variable reads as undefined)" },
  { input: "awsProvider of another type", provoke: (s) => router({ awsProvider: databricksOf(s) })(s),
    message: "test/Router: `awsProvider` must be an aws provider, but test/databricks is a databricks provider; pass an AwsProvider" },
  { input: "NCC props missing", provoke: (s) => new DatabricksNcc(s, "Ncc", undefined as any),
    message: "test/Ncc: the NCC's props must be an object like { region, provider, routers } (got undefined); pass DatabricksNccProps" },
  { input: "NCC provider of another type", provoke: (s) => ncc({ provider: s.node.tryFindChild("aws") as any })(s),
    message: "test/Ncc: `provider` must be a databricks provider, but test/aws is an aws provider; pass a DatabricksProvider" },
  { input: "a target that is undefined", provoke: router({ targets: [undefined as any] }),
    message: "test/Router: a target must be an object like { host, port } (got undefined); pass a RouterTarget" },
  // Providers, accounts and values JavaScript cannot hold.
  { input: "awsProvider in another region than the router", provoke: (s) => {
    const r = new PrivateLinkRouter(s, "Router", routerProps({ targets: [T] }));
    const eu = new AwsProvider(s, "eu", { alias: "eu", region: "eu-west-1" });
    return new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s), awsProvider: eu }).addRouter(r);
  },
    message: "test/Ncc: `awsProvider` test/eu is in eu-west-1, but router test/Router's endpoint services are in us-east-1; the accepters must act where the services are: give an aws provider for us-east-1 (the router's account), or leave `awsProvider` unset to use the router's own" },
  { input: "databricks provider: workspace host", provoke: (s) => ncc({ provider: new DatabricksProvider(s, "ws", { alias: "ws", host: "https://dbc-1234abcd-5678.cloud.databricks.com", accountId: "00000000-0000-0000-0000-000000000000" }) })(s),
    message: "test/Ncc: the databricks provider test/ws has host \"https://dbc-1234abcd-5678.cloud.databricks.com\", a workspace's; the NCC's resources (databricks_mws_*) need an account-level provider: host \"https://accounts.cloud.databricks.com\" (GovCloud: https://accounts.cloud.databricks.us) and `accountId`" },
  { input: "databricks provider: no accountId", provoke: (s) => ncc({ provider: new DatabricksProvider(s, "acct", { alias: "acct", host: "https://accounts.cloud.databricks.com", accountId: process.env.PLR_UNSET_FOR_TEST }) })(s),
    message: "test/Ncc: the databricks provider test/acct has no `accountId` (got undefined); every databricks_mws_* resource needs it: set `accountId` (is DATABRICKS_ACCOUNT_ID unset?)" },
  { input: "workspaceIds above 2^53", provoke: ncc({ workspaceIds: [9876543210123457] }),
    message: "test/Ncc: `workspaceIds[0]` is 9876543210123456 once JavaScript has read it, above 2^53 - 1 (9007199254740991), where a number cannot hold every integer: it may not be the id you wrote; list the id as a string in `workspaceIdStrings` (e.g. [\"9876543210123457\"]), which reaches Terraform exactly" },
  { input: "workspaceIds entry a string", provoke: ncc({ workspaceIds: ["1234567890123456" as any] }),
    message: "test/Ncc: `workspaceIds[0]` must be a number, not a string (got \"1234567890123456\"); write it without quotes, or list it in `workspaceIdStrings` to pass it exactly as text" },
  { input: "workspaceIdStrings entry", provoke: ncc({ workspaceIdStrings: ["0123"] }),
    message: "test/Ncc: `workspaceIdStrings[0]` must be a workspace id: 1-19 digits, no leading zero (got \"0123\"); copy it from the workspace URL (?o=<id>)" },
  { input: "a workspace in both id lists", provoke: ncc({ workspaceIds: [1234567890123456], workspaceIdStrings: ["1234567890123456"] }),
    message: "test/Ncc: `workspaceIds` and `workspaceIdStrings` list 1234567890123456 twice; list each workspace once" },
  { input: "port as a string", provoke: target({ port: "5432" as any }),
    message: "test/Router: `targets[\"db\"].port` must be a number, not a string (got \"5432\"); write 5432 without quotes" },
  { input: "ips entry with a prefix length", provoke: target({ host: undefined, ips: ["10.40.12.7/32"] }),
    message: "test/Router: `targets[\"db\"].ips` must be IPv4 addresses, not CIDR blocks (got \"10.40.12.7/32\"); drop the prefix length: \"10.40.12.7\"" },
  // Found by catalogue-complete.test.ts: every error the library throws has a case.
  { input: "awsProvider not a provider", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ targets: [T], awsProvider: {} as any })),
    message: "test/Router: `awsProvider` must be an aws provider construct (got [object Object]); pass the provider object, e.g. new AwsProvider(stack, \"aws\", {...})" },
  { input: "addRouter: not a router", provoke: (s: TerraformStack) => new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s) }).addRouter({} as any),
    message: "test/Ncc: addRouter() needs a PrivateLinkRouter (got {}); pass the router construct" },
  { input: "addRouter: twice", provoke: (s: TerraformStack) => { const r = new PrivateLinkRouter(s, "Router", routerProps({ targets: [T] })); const n = new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s) }); n.addRouter(r); return n.addRouter(r); },
    message: "test/Ncc: addRouter(): router test/Router is already connected to this NCC; connect each router once" },
  { input: "addRouter: same id", provoke: (s: TerraformStack) => { const a = new PrivateLinkRouter(s, "Router", routerProps({ targets: [T] })); const b = new PrivateLinkRouter(new Construct(s, "Team"), "Router", routerProps({ serviceName: "b", targets: [{ ...T, host: "b.example.com" }] })); return new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s), routers: [a, b] }); },
    message: "test/Ncc: addRouter(): another router with the id \"Router\" is already connected; give routers distinct construct ids" },
  { input: "addRouter: one name in two rules", provoke: (s: TerraformStack) => { const a = new PrivateLinkRouter(s, "A", routerProps({ targets: [T] })); const b = new PrivateLinkRouter(s, "B", routerProps({ serviceName: "b", targets: [T] })); return new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s), routers: [a, b] }); },
    message: "test/Ncc: the domain name \"db.example.com\" would appear in two rules of this NCC (router test/B shard 0 and test/A shard 0); a name leads to one endpoint: give each domain name to targets of a single router shard" },
  { input: "workspaceIds not a list", provoke: (s: TerraformStack) => new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s), workspaceIds: 5 as any }),
    message: "test/Ncc: `workspaceIds` must be a list of workspace ids (got 5); e.g. [1234567890123456]" },
  { input: "workspaceIdStrings not a list", provoke: (s: TerraformStack) => new DatabricksNcc(s, "Ncc", { region: "us-east-1", provider: databricksOf(s), workspaceIdStrings: "5" as any }),
    message: "test/Ncc: `workspaceIdStrings` must be a list of workspace ids as strings (got \"5\"); e.g. [\"9876543210123457\"]" },
  { input: "ipSync dnsServers over 3", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ targets: [T], egressCidrs: ["10.0.0.0/8"], ipSync: { dnsServers: ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"] } })),
    message: "test/Router: `ipSync.dnsServers` lists 4 servers; give at most 3" },
  { input: "portMapFile: shared name, partner elsewhere", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ portMapFile: `${FIXTURES}/shared-b-shard-1.json`, targets: [{ name: "a", host: "sql.corp.internal", port: 1433 }, { name: "b", host: "sql.corp.internal", port: 1434 }] })),
    message: "test/Router: targets \"a\" and \"b\" share the domain name \"sql.corp.internal\" but `portMapFile` records \"b\" in shard 1 and \"a\" is in shard 0; a name resolves to one endpoint, so they must share a shard: delete \"b\" from the port map file to move it, or give one of them another `domainName`" },
  { input: "portMapFile: recorded port taken by a pin", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ portMapFile: `${FIXTURES}/two-in-shard-0.json`, targets: [{ name: "pin", host: "pin.example.com", port: 1, listenerPort: 10000 }, T] })),
    message: "test/Router: target \"db\" is recorded in `portMapFile` on listener port 10000 (shard 0), but target \"pin\" (pinned) already uses that port; pin \"pin\" to another `listenerPort`, or delete \"db\" from the port map file to give it a new port" },
  { input: "TARGET_PORT: shared name, same port", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ portAssignment: PortAssignment.TARGET_PORT, targets: [{ name: "a", host: "sql.corp.internal", port: 1433 }, { name: "b", host: "sql.corp.internal", port: 1433 }] })),
    message: "test/Router: targets \"a\" and \"b\" share the domain name \"sql.corp.internal\", so they share shard 0, where listener port 1433 of target \"b\" (its database's port, TARGET_PORT) is already used by target \"a\"; pin another `listenerPort` for \"b\", or give it another `domainName`" },
  { input: "shared name, no free port in the shard's range", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ portMapFile: `${FIXTURES}/retired-two.json`, maxTargetsPerLoadBalancer: 3, targets: [{ name: "a", host: "sql.corp.internal", port: 1433 }, { name: "b", host: "sql.corp.internal", port: 1434 }] })),
    message: "test/Router: targets \"a\" and \"b\" share the domain name \"sql.corp.internal\", so \"b\" goes to shard 0, whose listener ports (10000-10002) are all used, recorded or retired; pin a free `listenerPort` for \"b\" (it joins shard 0 whatever the port)" },
  { input: "targets not a list", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ targets: "db" as any })),
    message: "test/Router: `targets` must be a list of targets (got \"db\"); pass [{ host, port }, ...]" },
  { input: "port token", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ targets: [{ ...T, port: new TerraformVariable(s, "p", { type: "number" }).numberValue }] })),
    message: "test/Router: `targets[\"db\"].port` is a token; the router needs the literal port to plan listeners" },
  { input: "listenerPort token", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ targets: [{ ...T, listenerPort: new TerraformVariable(s, "p", { type: "number" }).numberValue }] })),
    message: "test/Router: `targets[\"db\"].listenerPort` is a token; pin a literal port" },
  { input: "ips token", provoke: (s: TerraformStack) => new PrivateLinkRouter(s, "Router", routerProps({ targets: [{ name: "db", ips: new TerraformVariable(s, "p", { type: "list(string)" }).listValue, port: 5432 }] })),
    message: "test/Router: `targets[\"db\"].ips` is a token; the router needs literal addresses to key its resources (use `host` for addresses known only at apply time)" },
];
