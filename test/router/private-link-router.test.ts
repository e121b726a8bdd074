import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { DnsProvider } from "@cdktf/provider-dns/lib/provider";
import { TerraformOutput, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import { PrivateLinkRouter, ValidationError } from "../../src";
import { PRIVATE_RANGES } from "../../src/ip-sync/private-ranges";
import { dnsTargets, local, newStack, only, routerProps, synth, VPC } from "../helpers";
import { checkInvariants } from "../invariants";

let stack: TerraformStack;
beforeEach(() => {
  ({ stack } = newStack());
});

const THREE = [
  { name: "orders", host: "orders.cluster-abc.us-east-1.rds.amazonaws.com", port: 5432 },
  { name: "billing", host: "billing.cluster-abc.us-east-1.rds.amazonaws.com", port: 3306 },
  { name: "mssql", ips: ["10.20.1.10", "10.20.2.10"], port: 1433 },
];

describe("targets and emission", () => {
  test("per-target resources are for_each over one map keyed by target name", () => {
    // GIVEN / WHEN
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    const json = synth(stack);

    // THEN
    const targets = local(json, "targets");
    expect(Object.keys(targets)).toEqual(["billing", "mssql", "orders"]);
    for (const type of ["aws_lb_target_group", "aws_lb_listener", "aws_lb_target_group_attachment", "aws_vpc_security_group_egress_rule"]) {
      expect(only(json, type).for_each).toMatch(/^\$\{local\./);
    }
    expect(checkInvariants(json)).toEqual([]);
  });

  test("the target groups iterate the targets after the DNS lookups (an always-true condition on the data source)", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    const json = synth(stack);
    const targets = Object.keys(json.locals).find((k) => /^Router_targets_[0-9A-F]+$/.test(k));
    const lookup = Object.keys(json.data.dns_a_record_set)[0];
    expect(only(json, "aws_lb_target_group").for_each).toMatch(/^\$\{local\.Router_after_lookups_[0-9A-F]+\}$/);
    expect(local(json, "after_lookups"))
      .toBe(`\${{ for k, t in local.${targets} : k => t if length(data.dns_a_record_set.${lookup}) >= 0 }}`);
    // the listeners come after the target groups and attachments, which come after the lookups
    expect(only(json, "aws_lb_listener").for_each).toBe(`\${local.${targets}}`);
  });

  test("a host given as a token is resolved into the map", () => {
    const host = new TerraformVariable(stack, "db_host", { type: "string" });
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ name: "db", host: host.stringValue, port: 5432 }, THREE[2]] }));
    const json = synth(stack);
    expect(local(json, "targets").db.host).toBe("${var.db_host}");
    expect(local(json, "literal_ips")).toEqual({ mssql: ["10.20.1.10", "10.20.2.10"] });
  });

  test("every map entry carries the same fields, null where a target has none; literal IPs have their own map", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    const json = synth(stack);
    const targets = local(json, "targets");
    const fields = Object.values<any>(targets).map((e) => Object.keys(e).sort().join(","));
    expect(new Set(fields).size).toBe(1);
    expect(fields[0]).not.toContain("ips");
    expect(targets.mssql.host).toBeNull();
    expect(local(json, "literal_ips")).toEqual({ mssql: ["10.20.1.10", "10.20.2.10"] });
  });

  test("host targets are looked up by data.dns_a_record_set, which fails the plan on no or public addresses", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    const json = synth(stack);
    const lookup = only(json, "dns_a_record_set", "data");
    expect(lookup.for_each).toMatch(/^\$\{local\.Router_lookup_hosts_[0-9A-F]+\}$/);
    expect(local(json, "lookup_hosts")).toMatch(/k => v\.host if v\.host != null/);
    expect(lookup.host).toBe("${each.value}");
    const conditions = lookup.lifecycle.postcondition.map((p: any) => p.condition);
    expect(conditions[0]).toBe("${length(self.addrs) > 0}");
    expect(conditions[1]).toContain('cidrsubnet("${ip}/${split("/", r)[1]}", 0, 0) == r');
    expect(conditions[1]).toContain(JSON.stringify(PRIVATE_RANGES));
  });

  test("IPs feed the (target, IP) pairs literally and DNS addresses through the lookup", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    const json = synth(stack);
    expect(local(json, "target_ips")).toMatch(/^\$\{merge\(local\.Router_literal_ips_[0-9A-F]+, /);
    expect(local(json, "target_ips")).toMatch(/data\.dns_a_record_set\.[A-Za-z0-9_]+ : k => r\.addrs/);
    expect(local(json, "target_ip_pairs")).toContain('key = "${k}/${ip}"');
    const attachment = only(json, "aws_lb_target_group_attachment");
    expect(attachment.target_id).toBe("${each.value.ip}");
    // through a local of the target groups: no edge per attachment and group instance
    expect(attachment.target_group_arn).toMatch(/^\$\{local\.Router_target_groups_[0-9A-F]+\[each\.value\.target\]\.arn\}$/);
    expect(Object.entries(json.locals).find(([k]) => /^Router_target_groups_/.test(k))![1]).toMatch(/^\$\{\{ for k, g in aws_lb_target_group\.Router_TargetGroup_[0-9A-F]+ : k => \{ arn = g\.arn, arn_suffix = g\.arn_suffix, name = g\.name \} \}\}$/);
  });

  test("an IP-only router needs no dns provider or lookup", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [THREE[2]] }));
    const json = synth(stack);
    expect(json.data?.dns_a_record_set).toBeUndefined();
    expect(json.provider.dns).toBeUndefined();
    expect(local(json, "target_ips")).not.toContain("dns_a_record_set");
    const targets = Object.keys(json.locals).find((k) => /^Router_targets_[0-9A-F]+$/.test(k));
    expect(only(json, "aws_lb_target_group").for_each).toBe(`\${local.${targets}}`);
    expect(() => local(json, "after_lookups")).toThrow();
  });

  test.each([
    [undefined, "all"],
    ["all", "all"],
    ["auto", null],
    ["us-east-1a", "us-east-1a"],
  ])("availabilityZone %p is written as %p", (az, expected) => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ ...THREE[2], availabilityZone: az }] }));
    const json = synth(stack);
    expect(local(json, "targets").mssql.availability_zone).toBe(expected);
    expect(only(json, "aws_lb_target_group_attachment").availability_zone).toMatch(/\[each\.value\.target\]\.availability_zone/);
  });

  test("addTarget returns the route and the name defaults to the host's first label or the first IP", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps());
    const a = router.addTarget({ host: "orders.cluster-abc.us-east-1.rds.amazonaws.com", port: 5432 });
    const b = router.addTarget({ ips: ["10.1.2.3"], port: 1433 });
    expect(a).toEqual({ name: "orders", host: "orders.cluster-abc.us-east-1.rds.amazonaws.com", ips: undefined, targetPort: 5432, listenerPort: 10000, shard: 0, domainName: "orders.cluster-abc.us-east-1.rds.amazonaws.com", admit: ["tcp/5432"] });
    expect(b.name).toBe("ip-10-1-2-3");
    expect(router.routes.map((r) => r.name)).toEqual(["orders", "ip-10-1-2-3"]);
    expect(router.portOf("ip-10-1-2-3")).toBe(10001);
  });

  test("throws when portOf names no target", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    expect(() => router.portOf("nope")).toThrow(/portOf\("nope"\): no target has that name \(targets: orders, billing, mssql\)/);
  });

  test("a router without targets fails validation at synthesis", () => {
    new PrivateLinkRouter(stack, "Router", routerProps());
    expect(() => Testing.synth(stack, true)).toThrow(/the router has no targets/);
  });
});

describe("names", () => {
  test("every AWS name is literal, at most 32 characters, deterministic", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, serviceName: "a-very-long-service1" }));
    const json = synth(stack);
    expect(checkInvariants(json)).toEqual([]);
    const lb = only(json, "aws_lb");
    expect(lb.name).toMatch(/^a-very-long-service1-0-[0-9a-f]{6}$/);
    expect(only(json, "aws_security_group").name).toBe(lb.name);
    for (const e of Object.values<any>(local(json, "targets"))) expect(e.target_group_name.length).toBeLessThanOrEqual(32);
    const again = newStack().stack;
    new PrivateLinkRouter(again, "Router", routerProps({ targets: THREE, serviceName: "a-very-long-service1" }));
    expect(Testing.synth(again)).toBe(Testing.synth(stack));
  });

  test("a 38-character serviceName: AWS names cut to 32 with a hash, the full name in Name tags and the description", () => {
    const serviceName = "databricks-serverless-privatelink-prod";
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, serviceName, maxTargetsPerLoadBalancer: 2 }));
    const json = synth(stack);
    expect(checkInvariants(json)).toEqual([]);
    const lbs = Object.values<any>(json.resource.aws_lb);
    expect(lbs.map((lb) => lb.name)).toEqual([expect.stringMatching(/^databricks-serverless-pri-[0-9a-f]{6}$/), expect.stringMatching(/^databricks-serverless-pri-[0-9a-f]{6}$/)]);
    expect(new Set(lbs.map((lb) => lb.name)).size).toBe(2);
    expect(lbs.map((lb) => lb.tags.Name)).toEqual([`${serviceName}-0`, `${serviceName}-1`]);
    const sg = Object.values<any>(json.resource.aws_security_group)[0];
    expect(sg.description).toBe(`PrivateLink router ${lbs[0].name} (${serviceName}-0): egress to its database targets only`);
    const tgNames = Object.values<any>(local(json, "targets")).map((e) => e.target_group_name);
    expect(tgNames).toEqual(tgNames.map(() => expect.stringMatching(/^databricks-serverles-[a-z]+-[0-9a-f]{6}$/)));
  });

  test("a name that fits keeps its Name tag and description as they were", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, serviceName: "dbx-router" }));
    const json = synth(stack);
    const lb = only(json, "aws_lb");
    expect(lb.tags.Name).toBe(lb.name);
    expect(only(json, "aws_security_group").description).toBe(`PrivateLink router ${lb.name}: egress to its database targets only`);
  });

  test.each([
    ["port", { port: 5433 }],
    ["protocol", { protocol: "TCP_UDP" }],
  ])("a target group's name changes with its %s", (_, change) => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [THREE[0]] }));
    const other = new PrivateLinkRouter(newStack().stack, "Router", routerProps({ targets: [{ ...THREE[0], ...change }] }));
    const name = (r: PrivateLinkRouter) => local(synth(r.node.scope as TerraformStack), "targets").orders.target_group_name;
    expect(name(router)).not.toBe(name(other));
    expect(name(router)).toMatch(/^privatelink-router-orders-[0-9a-f]{6}$/);
  });

  test("a target group's name changes with its VPC, and health checks do not rename it", () => {
    const name = (extra: object, hc?: object) => {
      const s = newStack().stack;
      new PrivateLinkRouter(s, "Router", routerProps({ targets: [{ ...THREE[0], healthCheck: hc }], ...extra }));
      return local(synth(s), "targets").orders.target_group_name;
    };
    expect(name({ vpcId: "vpc-0aaaaaaaaaaaaaaaa" })).not.toBe(name({}));
    expect(name({}, { intervalSeconds: 60 })).toBe(name({}));
  });

  test("target groups are created before the old ones are destroyed", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    expect(Testing.synth(stack)).toHaveResourceWithProperties(LbTargetGroup, { lifecycle: { create_before_destroy: true }, target_type: "ip", vpc_id: VPC });
  });

  test("two routers in one stack get distinct load balancer and target group names, even for the same target names", () => {
    new PrivateLinkRouter(stack, "A", routerProps({ targets: [THREE[0]] }));
    new PrivateLinkRouter(stack, "B", routerProps({ targets: [THREE[0]] }));
    const json = synth(stack);
    const names = Object.values<any>(json.resource.aws_lb).map((lb) => lb.name);
    expect(new Set(names).size).toBe(2);
    const tgNames = Object.entries<any>(json.locals).filter(([k]) => k.includes("_targets_")).map(([, m]) => m.orders.target_group_name);
    expect(tgNames).toHaveLength(2);
    expect(new Set(tgNames).size).toBe(2);
  });
});

describe("security group", () => {
  test("one per shard, attached to its NLB, with no inline rules and enforcement off", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    const json = synth(stack);
    const sg = only(json, "aws_security_group");
    expect(sg).not.toHaveProperty("ingress");
    expect(sg).not.toHaveProperty("egress");
    expect(only(json, "aws_lb").security_groups).toEqual([expect.stringMatching(/^\$\{aws_security_group\.[A-Za-z0-9_]+\.id\}$/)]);
    expect(only(json, "aws_lb").enforce_security_group_inbound_rules_on_private_link_traffic).toBe("off");
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  });

  test("egress is one /32 rule per (target, IP, port), including a distinct health-check port", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ ...THREE[2], healthCheck: { port: "8080" } }] }));
    const json = synth(stack);
    // Each target's ports are computed once, in TypeScript; Terraform pairs them with the IPs.
    expect(local(json, "targets").mssql.egress).toBe("tcp:1433,tcp:8080");
    expect(local(json, "egress_rules")).toMatch(/for e in distinct\(split\(",", local\.Router_targets_[0-9A-F]+\[p\.target\]\.egress\)\)/);
    expect(local(json, "egress_rules")).toContain('cidr = "${p.ip}/32"');
    const rule = only(json, "aws_vpc_security_group_egress_rule");
    expect(rule.cidr_ipv4).toBe("${each.value.cidr}");
    expect(rule.security_group_id).toMatch(/\[tostring\(each\.value\.shard\)\]\.security_group_id/);
  });

  test.each([
    ["TCP", ["tcp:5432"]],
    ["UDP", ["udp:5432", "tcp:5432"]],
    ["TCP_UDP", ["tcp:5432", "udp:5432"]],
  ])("a %s target needs egress %p", (protocol, egress) => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ name: "x", ips: ["10.0.0.1"], port: 5432, protocol }], egressCidrs: ["10.0.0.0/8"] }));
    expect(local(synth(stack), "targets").x.egress).toBe(egress.join(","));
  });

  test("egressCidrs replace the per-IP rules with one rule per CIDR and port", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, egressCidrs: ["10.20.0.0/16", "10.30.0.0/16"] }));
    const json = synth(stack);
    expect(local(json, "settings").egress_cidrs).toEqual({ "10.20.0.0/16": "10.20.0.0/16", "10.30.0.0/16": "10.30.0.0/16" });
    // Keyed "<shard>/<cidr>/<protocol>:<port>", built by Terraform from literal keys; a rule two targets need is written once.
    const rules = local(json, "egress_rules");
    expect(rules).toMatch(/for ck, c in local\.Router_settings_[0-9A-F]+\.egress_cidrs/);
    expect(rules).toContain('key = "${t.shard}/${ck}/${e}"');
    expect(rules).toContain(": r.key => r... } : key => rs[0] }");
    expect(checkInvariants(json, { egressCidrs: ["10.20.0.0/16", "10.30.0.0/16"] })).toEqual([]);
  });

  test("throws when a literal IP lies outside every egressCidrs block", () => {
    expect(() => new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, egressCidrs: ["10.30.0.0/16"] })))
      .toThrow(/`targets\["mssql"\]\.ips` has 10\.20\.1\.10, outside every `egressCidrs` block \(10\.30\.0\.0\/16\), so the load balancer could never reach it/);
  });

  test("ingressCidrs open only the listener ports", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [THREE[0]], ingressCidrs: ["10.99.0.0/16"] }));
    const json = synth(stack);
    expect(local(json, "settings").ingress_cidrs).toEqual({ "10.99.0.0/16": "10.99.0.0/16" });
    expect(local(json, "ingress_rules")).toContain("port = t.listener_port");
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { cidr_ipv4: "${each.value.cidr}", from_port: "${each.value.port}" });
  });

  test("enforcement can be turned on", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [THREE[0]], enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: true }));
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Lb, { enforce_security_group_inbound_rules_on_private_link_traffic: "on" });
  });

  test.each([
    [60, true],
    [61, false],
  ])("%i literal IPs in one shard %s fit the 60-rule egress quota", (n, fits) => {
    const ips = Array.from({ length: n }, (_, i) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    const make = () => new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ name: "big", ips, port: 5432 }] }));
    if (fits) expect(make).not.toThrow();
    else expect(make).toThrow(/outbound rules to at least 61, over the 60-rule security group quota; set `egressCidrs`/);
  });

  test("throws when ingressCidrs x listeners pass the inbound quota", () => {
    const cidrs = Array.from({ length: 20 }, (_, i) => `10.${i}.0.0/16`);
    expect(() => new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(4), ingressCidrs: cidrs })))
      .toThrow(/target "db3" brings shard 0's inbound rules to 80/);
  });

  test("DNS targets count at least one rule each toward the quota", () => {
    expect(() => new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(50) }))).not.toThrow();
    const s = newStack().stack;
    const hc = { port: "8080" };
    expect(() => new PrivateLinkRouter(s, "Router", routerProps({ targets: dnsTargets(31).map((t) => ({ ...t, healthCheck: hc })) })))
      .toThrow(/target "db30" brings shard 0's outbound rules to at least 62/);
  });
});

describe("endpoint service", () => {
  test("requires acceptance by default and allows only the given principals, sorted and deduplicated", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, allowedPrincipals: ["arn:aws:iam::222222222222:root"] }));
    router.allowPrincipal("arn:aws:iam::111111111111:role/reader");
    router.allowPrincipal("arn:aws:iam::222222222222:root");
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VpcEndpointService, {
      acceptance_required: true,
      allowed_principals: ["arn:aws:iam::111111111111:role/reader", "arn:aws:iam::222222222222:root"],
      network_load_balancer_arns: [expect.stringMatching(/^\$\{aws_lb\./)],
    });
  });

  test("acceptance can be turned off", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, acceptanceRequired: false }));
    expect(only(synth(stack), "aws_vpc_endpoint_service").acceptance_required).toBe(false);
  });

  test.each(["*", "arn:aws:iam::*:root", "123456789012", "arn:aws:iam::12345:root", "arn:aws:s3:::bucket"])("throws when a principal is %p", (p) => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    expect(() => router.allowPrincipal(p)).toThrow(ValidationError);
    expect(() => router.allowPrincipal(p)).toThrow(/allowedPrincipals/);
  });

  test("endpointServiceNames has one token per shard", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(3), maxTargetsPerLoadBalancer: 2 }));
    expect(router.endpointServiceNames).toHaveLength(2);
    new TerraformOutput(stack, "services", { value: router.endpointServiceNames });
    expect(synth(stack).output.services.value).toEqual([
      expect.stringMatching(/^\$\{aws_vpc_endpoint_service\.Router_Shard0_EndpointService_[0-9A-F]+\.service_name\}$/),
      expect.stringMatching(/^\$\{aws_vpc_endpoint_service\.Router_Shard1_EndpointService_[0-9A-F]+\.service_name\}$/),
    ]);
  });
});

describe("load balancer and listeners", () => {
  test("an internal network load balancer over the subnets, cross-zone on", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE }));
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Lb, {
      internal: true, load_balancer_type: "network", subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], enable_cross_zone_load_balancing: true,
    });
  });

  test("cross-zone can be turned off", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, crossZoneLoadBalancing: false }));
    expect(only(synth(stack), "aws_lb").enable_cross_zone_load_balancing).toBe(false);
  });

  test("listeners forward to their target group, with the TCP idle timeout", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, tcpIdleTimeoutSeconds: 3600 }));
    const listener = only(synth(stack), "aws_lb_listener");
    expect(listener.port).toBe("${each.value.listener_port}");
    expect(listener.protocol).toBe("${each.value.protocol}");
    expect(listener.tcp_idle_timeout_seconds).toMatch(/^\$\{each\.value\.protocol == "TCP" \? local\.Router_settings_[0-9A-F]+\.tcp_idle_timeout : null\}$/);
    // It moves only once the new group's targets are registered and reachable: its group comes
    // from a local that refers to every attachment and egress rule (no depends_on: its edges
    // grow as listeners x attachments).
    expect(listener.depends_on).toBeUndefined();
    expect(listener.default_action).toEqual([{ type: "forward", target_group_arn: expect.stringMatching(/^\$\{local\.Router_listener_target_groups_[0-9A-F]+\[each\.key\]\}$/) }]);
    const json = synth(stack);
    expect(local(json, "listener_target_groups")).toMatch(new RegExp("^\\$\\{length\\(aws_lb_target_group_attachment\\.Router_Attachment_[0-9A-F]+\\) \\+ "
      + "length\\(aws_vpc_security_group_egress_rule\\.Router_Egress_[0-9A-F]+\\) >= 0 \\? \\{ for k, g in local\\.Router_target_groups_[0-9A-F]+ : k => g\\.arn \\} : \\{\\}\\}$"));
    expect(listener.load_balancer_arn).toMatch(/\[tostring\(each\.value\.shard\)\]\.load_balancer_arn/);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(LbListener, { port: "${each.value.listener_port}" });
    // TCP listeners take the idle timeout (a literal or a token, in the settings); UDP ones none.
    expect(local(synth(stack), "settings").tcp_idle_timeout).toBe(3600);
  });


  test("target groups always write the health check protocol, with router defaults and per-target overrides", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({
      targets: [THREE[0], { ...THREE[1], healthCheck: { protocol: "HTTP", port: "8080", path: "/health", intervalSeconds: 10, timeoutSeconds: 5 } }],
      healthCheck: { healthyThreshold: 2 },
      deregistrationDelaySeconds: 30,
    }));
    const json = synth(stack);
    const tg = only(json, "aws_lb_target_group");
    expect(tg.health_check.protocol).toMatch(/\[each\.value\.health_check\]\.protocol/);
    expect(tg.deregistration_delay).toBe("30");
    const checks = local(json, "health_checks");
    const targets = local(json, "targets");
    expect(checks[targets.orders.health_check]).toEqual({ protocol: "TCP", port: "traffic-port", path: null, healthy_threshold: 2, unhealthy_threshold: 3, interval: 30, timeout: 10, matcher: null });
    expect(checks[targets.billing.health_check]).toEqual({ protocol: "HTTP", port: "8080", path: "/health", healthy_threshold: 2, unhealthy_threshold: 3, interval: 10, timeout: 5, matcher: "200-399" });
    expect(targets.billing.egress).toBe("tcp:3306,tcp:8080");
  });

  test("a target that switches the router's HTTP check to TCP does not inherit its path", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({
      targets: [{ ...THREE[0], healthCheck: { protocol: "TCP" } }],
      healthCheck: { protocol: "HTTP", path: "/health" },
    }));
    const json = synth(stack);
    const checks = local(json, "health_checks");
    expect(checks[local(json, "targets").orders.health_check]).toMatchObject({ protocol: "TCP", path: null });
  });

  test("identical health checks are written once", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(20) }));
    expect(Object.keys(local(synth(stack), "health_checks"))).toHaveLength(1);
  });
});

describe("providers", () => {
  test("resources use the given aws and dns providers", () => {
    const { stack: s } = newStack({ aws: false });
    const aws = new AwsProvider(s, "net", { region: "eu-west-1", alias: "network" });
    const dns = new DnsProvider(s, "dns", { alias: "corp" });
    new PrivateLinkRouter(s, "Router", routerProps({ targets: THREE, awsProvider: aws, dnsProvider: dns }));
    const json = synth(s);
    for (const type of ["aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_lb_target_group_attachment", "aws_security_group", "aws_vpc_endpoint_service", "aws_vpc_security_group_egress_rule"]) {
      expect(only(json, type).provider).toBe("aws.network");
    }
    expect(only(json, "dns_a_record_set", "data").provider).toBe("dns.corp");
  });

  test("a stack without a dns provider gets one, once", () => {
    new PrivateLinkRouter(stack, "A", routerProps({ targets: [THREE[0]] }));
    new PrivateLinkRouter(stack, "B", routerProps({ targets: [THREE[1]] }));
    expect(synth(stack).provider.dns).toEqual([{}]);
  });

  test("an existing default dns provider is reused", () => {
    new DnsProvider(stack, "mydns", {});
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [THREE[0]] }));
    expect(synth(stack).provider.dns).toHaveLength(1);
  });

  test("throws when the stack has no aws provider and none is given", () => {
    const { stack: s } = newStack({ aws: false });
    expect(() => new PrivateLinkRouter(s, "Router", routerProps({ targets: THREE })))
      .toThrow(/test\/Router: no aws provider: the stack test declares no default AWS provider, and `awsProvider` is not set; declare `new AwsProvider\(stack, "aws", \{ region \}\)`/);
  });
});

describe("tags", () => {
  test("every taggable resource carries the tags", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, ingressCidrs: ["10.9.0.0/16"], tags: { team: "data" } }));
    const json = synth(stack);
    // The values travel in a local (so tag text reaches AWS exactly as written); each resource
    // holds the keys, each reading its value there (an object, for tagging Aspects).
    expect(local(json, "settings").tag_values).toEqual(["data"]);
    const tagsRef = { team: expect.stringMatching(/^\$\{local\.Router_settings_[0-9A-F]+\.tag_values\[0\]\}$/) };
    for (const type of ["aws_lb_listener", "aws_lb_target_group", "aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule"]) {
      expect([type, only(json, type).tags]).toEqual([type, tagsRef]);
    }
    // Each shard's resources add their Name.
    for (const type of ["aws_lb", "aws_security_group", "aws_vpc_endpoint_service"]) {
      expect([type, only(json, type).tags]).toEqual([type, { ...tagsRef, Name: expect.stringMatching(/^privatelink-router-0-[0-9a-f]{6}$/) }]);
    }
  });

  test("a tag key or value with template sequences is escaped: the key in the resource, the value in the local", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, tags: { "key ${x}": "v ${y} %{z}" } }));
    const json = synth(stack);
    expect(local(json, "settings").tag_values).toEqual(["v $${y} %%{z}"]);
    expect(Object.keys(only(json, "aws_lb_target_group").tags)).toEqual(["key $${x}"]);
  });

  test("a whole-map token stays one reference, merged with each shard resource's Name", () => {
    const tags = Token.asStringMap(new TerraformVariable(stack, "tags", { type: "map(string)" }).value);
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: THREE, tags }));
    const json = synth(stack);
    expect(local(json, "settings").tags).toBe("${var.tags}");
    expect(only(json, "aws_lb_target_group").tags).toMatch(/^\$\{local\.Router_settings_[0-9A-F]+\.tags\}$/);
    expect(only(json, "aws_lb").tags).toMatch(/^\$\{merge\(local\.Router_settings_[0-9A-F]+\.tags, \{"Name" = "privatelink-router-0-[0-9a-f]{6}"\}\)\}$/);
  });
});

describe("tokens", () => {
  test("with a token VPC, Terraform computes the target group name with the same hash as for a literal VPC", () => {
    // GIVEN
    const vpc = new TerraformVariable(stack, "vpc", { type: "string" });
    new PrivateLinkRouter(stack, "Router", routerProps({ vpcId: vpc.stringValue, targets: [THREE[0]] }));
    // WHEN
    const json = synth(stack);
    // THEN: "<readable>-" + sha256("<digest>\n<vpc>")[0:6]; the Terraform harness proves both give the same name
    const entry = local(json, "targets").orders;
    expect(entry.target_group_name).toBe("privatelink-router-orders");
    expect(entry.target_group_digest).toMatch(/^[0-9a-f]{64}$/);
    const group = Object.values<any>(json.resource.aws_lb_target_group)[0];
    expect(group.name).toMatch(/^\$\{each\.value\.target_group_name == "" \? substr\(sha256\("\$\{each\.value\.target_group_digest\}\\n\$\{local\.Router_settings_[0-9A-F]+\.vpc_id\}"\), 0, 6\) : "\$\{each\.value\.target_group_name\}-\$\{substr\(sha256\(/);
    expect(local(json, "settings").vpc_id).toBe("${var.vpc}");
    // Nothing in the map that feeds for_each refers to the VPC: a VPC made in the same apply is unknown at plan.
    expect(JSON.stringify(local(json, "targets"))).not.toContain("vpc");
  });

  test("CIDRs that are tokens are keyed by position, literal ones by themselves: for_each keys never wait for apply", () => {
    const cidr = new TerraformVariable(stack, "cidr", { type: "string" }).stringValue;
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [THREE[0]], egressCidrs: ["10.20.0.0/16", cidr], ingressCidrs: [cidr] }));
    const settings = local(synth(stack), "settings");
    expect(settings.egress_cidrs).toEqual({ "10.20.0.0/16": "10.20.0.0/16", "#1": "${var.cidr}" });
    expect(settings.ingress_cidrs).toEqual({ "#0": "${var.cidr}" });
  });

  test("CIDR lists, the idle timeout and health-check numbers may be tokens", () => {
    const list = (n: string) => new TerraformVariable(stack, n, { type: "list(string)" }).listValue;
    const num = (n: string) => new TerraformVariable(stack, n, { type: "number" }).numberValue;
    new PrivateLinkRouter(stack, "Router", routerProps({
      ingressCidrs: list("ingress"), egressCidrs: list("egress"), tcpIdleTimeoutSeconds: num("idle"),
      healthCheck: { intervalSeconds: num("interval"), timeoutSeconds: num("timeout") },
      targets: [THREE[0]],
    }));
    const json = synth(stack);
    expect(local(json, "settings")).toMatchObject({ ingress_cidrs: "${var.ingress}", egress_cidrs: "${var.egress}" });
    expect(local(json, "settings").tcp_idle_timeout).toBe("${var.idle}");
    expect(local(json, "health_checks")[local(json, "targets").orders.health_check]).toMatchObject({ interval: "${var.interval}", timeout: "${var.timeout}" });
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeDefined();
  });

  test("a health check holding tokens keeps its key when other code makes more tokens first", () => {
    const keysOf = (unrelatedTokens: number) => {
      const { stack: s } = newStack();
      const unrelated = Array.from({ length: unrelatedTokens }, (_, i) => new TerraformVariable(s, `unrelated${i}`, { type: "string" }).stringValue);
      expect(unrelated).toHaveLength(unrelatedTokens);
      const interval = new TerraformVariable(s, "interval", { type: "number" }).numberValue;
      new PrivateLinkRouter(s, "Router", routerProps({
        targets: [
          { ...THREE[0], healthCheck: { intervalSeconds: interval } },
          { ...THREE[1], healthCheck: { intervalSeconds: interval, timeoutSeconds: 5 } },
          { ...THREE[2], healthCheck: { intervalSeconds: interval } },
        ],
      }));
      const targets = local(synth(s), "targets");
      return [targets.orders.health_check, targets.billing.health_check, targets.mssql.health_check];
    };
    const keys = keysOf(0);
    expect(keys[0]).toBe(keys[2]);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keysOf(7)).toEqual(keys);
  });
});

test("a construct path that looks like a template stays text in the plan-time messages", () => {
  new PrivateLinkRouter(stack, "R${x}%{y}", routerProps({ targets: [THREE[0]] }));
  const sg = only(synth(stack), "aws_security_group");
  expect(sg.lifecycle.precondition[0].error_message).toMatch(/^Router test\/R\$\$\{x\}%%\{y\}: \$\{join\(", ", \[for s, c in local\./);
});

describe("DNS names as pasted from a console", () => {
  test("host and domainName are normalized once: lower case, no trailing dot, everywhere", () => {
    // GIVEN
    const router = new PrivateLinkRouter(stack, "Router", routerProps({
      targets: [{ host: "Orders.Corp.Internal.", port: 5432 }, { name: "erp", ips: ["10.1.2.3"], port: 1433, domainName: "ERP.Corp.Internal." }],
    }));
    // WHEN
    const json = synth(stack);
    // THEN: the derived name, the route, the map Terraform looks up, and the domain name
    expect(router.routes.map((r) => [r.name, r.host, r.domainName])).toEqual([["orders", "orders.corp.internal", "orders.corp.internal"], ["erp", undefined, "erp.corp.internal"]]);
    expect(local(json, "targets").orders.host).toBe("orders.corp.internal");
    expect(JSON.stringify(json)).not.toMatch(/Orders|ERP|internal\."/);
  });
});

describe("UDP-only targets", () => {
  const warnings = (r: PrivateLinkRouter) => r.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data as string);

  test("a UDP-only target left with the default TCP health check gets a synthesis warning", () => {
    const r = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ name: "syslog", ips: ["10.1.2.3"], port: 514, protocol: "UDP" }] }));
    expect(warnings(r)).toEqual([expect.stringContaining('target "syslog" is UDP only, and its health check is the default TCP check on its traffic port 514')]);
  });

  test.each([
    ["its own health check", { healthCheck: { port: "8080" } }, {}],
    ["a router health check on another port", {}, { healthCheck: { port: "8080" } }],
    ["TCP_UDP", { protocol: "TCP_UDP" }, {}],
  ])("no warning with %s", (_, target, router) => {
    const r = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ name: "syslog", ips: ["10.1.2.3"], port: 514, protocol: "UDP", ...target }], ...router }));
    expect(warnings(r)).toEqual([]);
  });
});
