// One benchmark case, run in a fresh Node process by bench/run.js:
//   node bench/case.js <baseline|router|per-construct|root-import> <N> <outdir>
// It builds the app, synthesizes it into <outdir> and prints one JSON line with what it
// emitted and its own peak RSS. Wall time is measured by the parent, around the whole process.
"use strict";
const [, , kind, nArg, outdir] = process.argv;
const N = Number(nArg);

if (kind === "root-import") {
  // What an app pays when it imports the providers by their root index: the one place in this
  // repository that does so on purpose (the lint rule forbids it everywhere else).
  for (const provider of ["aws", "dns", "databricks"]) require(`@cdktf/provider-${provider}`);
}

const { App, TerraformStack, TerraformIterator, Fn } = require("cdktf");
// Every provider module the library loads, by deep path, in every case: the baseline pays for
// them too, so the ratios measure the library's own work.
for (const m of ["lb", "lb-listener", "lb-target-group", "lb-target-group-attachment", "security-group", "vpc-endpoint-service",
  "vpc-security-group-egress-rule", "vpc-security-group-ingress-rule", "vpc-endpoint-connection-accepter", "data-aws-subnet"]) require(
    `@cdktf/provider-aws/lib/${m}`);
for (const m of ["mws-network-connectivity-config", "mws-ncc-private-endpoint-rule", "mws-ncc-binding",
  "data-databricks-mws-network-connectivity-config", "data-databricks-mws-network-connectivity-configs"]) require(
    `@cdktf/provider-databricks/lib/${m}`);
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { DatabricksProvider } = require("@cdktf/provider-databricks/lib/provider");

const buildStart = process.hrtime.bigint();
const app = new App({ outdir, skipValidation: false });
const stack = new TerraformStack(app, "bench");
new AwsProvider(stack, "aws", { region: "us-east-1" });
const databricks = new DatabricksProvider(stack, "databricks", { host: "https://accounts.cloud.databricks.com", accountId: "00000000-0000-0000-0000-000000000000" });

const VPC = "vpc-0123456789abcdef0";
const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
const targets = Array.from({ length: N }, (_, i) => ({ name: `db${i}`, host: `db${i}.tenants.example.internal`, port: 5432 }));
// Shards of 50 (the default). Databricks allows 10 domain names per rule, so the NCC connects
// a router of N DNS targets only when N <= 10; "router-ncc" uses shards of 10 and connects
// (up to 300 hosts: 30 rules per region). The library adds the dns provider block itself.
const M = kind === "router-ncc" ? 10 : 50;

if (kind === "router" || kind === "root-import" || kind === "router-ncc") {
  const { PrivateLinkRouter, DatabricksNcc } = require("../lib");
  const router = new PrivateLinkRouter(stack, "Router", { vpcId: VPC, subnetIds: SUBNETS, maxTargetsPerLoadBalancer: M, targets });
  const connect = Math.ceil(N / M) <= 30 && Math.min(N, M) <= 10;
  new DatabricksNcc(stack, "Ncc", { region: "us-east-1", provider: databricks, workspaceIds: [1], routers: connect ? [router] : [] });
} else if (kind === "per-construct") {
  perConstruct();
}

app.synth();
const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;

const fs = require("fs");
const path = require("path");
const file = path.join(outdir, "stacks", "bench", "cdk.tf.json");
const json = JSON.parse(fs.readFileSync(file, "utf8"));
process.stdout.write(JSON.stringify({
  bytes: fs.statSync(file).size,
  blocks: countBlocks(json),
  instances: countInstances(json),
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  buildMs,
}) + "\n");

/**
 * The peer to beat: the plain Terraform module of the problem, hand-written in cdktf with one
 * construct per target (a dns lookup, target group, listener, attachments and egress rules).
 */
function perConstruct() {
  const { Construct } = require("constructs");
  const { Lb } = require("@cdktf/provider-aws/lib/lb");
  const { LbListener } = require("@cdktf/provider-aws/lib/lb-listener");
  const { LbTargetGroup } = require("@cdktf/provider-aws/lib/lb-target-group");
  const { LbTargetGroupAttachment } = require("@cdktf/provider-aws/lib/lb-target-group-attachment");
  const { SecurityGroup } = require("@cdktf/provider-aws/lib/security-group");
  const { VpcEndpointService } = require("@cdktf/provider-aws/lib/vpc-endpoint-service");
  const { VpcSecurityGroupEgressRule } = require("@cdktf/provider-aws/lib/vpc-security-group-egress-rule");
  const { DataDnsARecordSet } = require("@cdktf/provider-dns/lib/data-dns-a-record-set");
  const { DnsProvider } = require("@cdktf/provider-dns/lib/provider");
  new DnsProvider(stack, "dns", {});
  const shards = [];
  for (let k = 0; k * M < N; k++) {
    const sg = new SecurityGroup(stack, `Sg${k}`, { name: `pc-${k}`, vpcId: VPC });
    const lb =
      new Lb(stack, `Lb${k}`, { name: `pc-${k}`, internal: true, loadBalancerType: "network", subnets: SUBNETS, securityGroups: [sg.id] });
    new VpcEndpointService(stack, `Svc${k}`, { acceptanceRequired: true, networkLoadBalancerArns: [lb.arn] });
    shards.push({ sg, lb });
  }
  targets.forEach((t, i) => {
    const c = new Construct(stack, t.name);
    const { sg, lb } = shards[Math.floor(i / M)];
    const dns = new DataDnsARecordSet(c, "Lookup", { host: t.host });
    const tg = new LbTargetGroup(c, "TargetGroup", {
      name: `pc-${t.name}`, port: t.port, protocol: "TCP", vpcId: VPC, targetType: "ip",
      healthCheck: { protocol: "TCP" }, lifecycle: { createBeforeDestroy: true },
    });
    new LbListener(c, "Listener",
      { loadBalancerArn: lb.arn, port: 10000 + i, protocol: "TCP", defaultAction: [{ type: "forward", targetGroupArn: tg.arn }] });
    const ips = TerraformIterator.fromList(dns.addrs);
    new LbTargetGroupAttachment(c, "Attachment",
      { forEach: ips, targetGroupArn: tg.arn, targetId: ips.value, port: t.port, availabilityZone: "all" });
    const rules = TerraformIterator.fromList(dns.addrs);
    new VpcSecurityGroupEgressRule(c, "Egress", {
      forEach: rules, securityGroupId: sg.id, cidrIpv4: Fn.join("", [rules.value, "/32"]),
      ipProtocol: "tcp", fromPort: t.port, toPort: t.port,
    });
  });
}

function countBlocks(json) {
  let n = 0;
  for (const kindKey of ["resource", "data"]) for (const byId of Object.values(json[kindKey] ?? {})) n += Object.keys(byId).length;
  return n;
}

/**
 * Resource instances Terraform will plan, assuming each DNS name resolves to one address:
 * a block without for_each is one; a for_each over a target map is its size; over the
 * (target, IP) pairs or one lookup's addresses, one per address.
 */
function countInstances(json) {
  const locals = json.locals ?? {};
  const sizeOf = (expr) => {
    const m = /^\$\{local\.([A-Za-z0-9_]+)\}$/.exec(expr);
    if (m && typeof locals[m[1]] === "object") return Object.keys(locals[m[1]]).length;
    const targetsLocal = Object.entries(locals).find(([k, v]) => /_targets_/.test(k) && typeof v === "object");
    const targetsCount = targetsLocal ? Object.keys(targetsLocal[1]).length : 0;
    if (/v\.host != null/.test(expr) || /target_ip_pairs|egress_rules/.test(expr)) return targetsCount;
    if (/addrs/.test(expr)) return 1;
    if (/rule_id|names/.test(expr)) return 0; // read back after Databricks creates endpoints
    return 1;
  };
  let n = 0;
  for (const kindKey of ["resource", "data"]) {
    for (const byId of Object.values(json[kindKey] ?? {})) {
      for (const block of Object.values(byId)) n += block.for_each ? sizeOf(block.for_each) : 1;
    }
  }
  return n;
}
