// Emits a router's per-target Terraform: the `locals` maps (every user value travels in them,
// as literals or tokens) and one `for_each` resource per kind, keyed by target name.
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Lazy, TerraformIterator, TerraformLocal, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { DnsARecordSet } from "../core/dns";
import { conditions } from "../core/hcl";
import { expr, literal, ref } from "../core/expressions";

/** A health check after defaults: every field set (numbers and strings may be tokens). */
export interface ResolvedHealthCheck {
  readonly protocol: string;
  readonly port: string;
  readonly path: string | null;
  readonly healthy_threshold: number;
  readonly unhealthy_threshold: number;
  readonly interval: number;
  readonly timeout: number;
  readonly matcher: string | null;
}

/**
 * A port the load balancer must reach on a target (its traffic port(s) and health-check port), as
 * `"<protocol>:<port>"`, e.g. `"tcp:5432"`. A target's ports travel as one comma-joined string
 * (`"tcp:5432,tcp:8080"`), which keeps a 1,000-target map small.
 */
export type EgressPort = string;

/** One entry of the per-target map in `locals`: every entry has every field (null where none). */
export interface TargetEntry {
  readonly host: string | null;
  readonly ips: string[] | null;
  readonly port: number;
  readonly listener_port: number;
  readonly shard: number;
  readonly protocol: string;
  readonly availability_zone: string | null;
  readonly target_group_name: string;
  readonly health_check: string;
  /** The egress ports, comma-joined. */
  readonly egress: string;
}

/** What the emitted resources read, produced at synthesis (after every target is added). */
export interface EmitInput {
  readonly entries: () => { [name: string]: TargetEntry };
  readonly healthChecks: () => { [key: string]: ResolvedHealthCheck };
  /** Per shard index: its load balancer ARN and security group id (references). */
  readonly shards: () => { [index: string]: { load_balancer_arn: string; load_balancer_arn_suffix: string; security_group_id: string } };
  readonly tags?: { [key: string]: string };
  readonly vpcId: string;
  readonly deregistrationDelaySeconds: number;
  readonly tcpIdleTimeoutSeconds: number;
  readonly ingressCidrs: string[];
  readonly egressCidrs?: string[];
  readonly provider?: TerraformProvider;
}


/** Matches the private IPv4 ranges an NLB accepts as targets (Terraform regex syntax). */
const PRIVATE_IP_REGEX = "^(10\\\\.|192\\\\.168\\\\.|172\\\\.(1[6-9]|2[0-9]|3[01])\\\\.|100\\\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\\\.)";

/** The locals and the per-target resources of a router, emitted into the router's scope. */
export class TargetResources {
  /** The per-target map. */
  public readonly targets: TerraformLocal;
  /** The router's tags, for its other resources (a local, so tag text reaches AWS as written). */
  public readonly tags: any;
  /** Security group rules per shard, counted by Terraform: `{ "<shard>" = { ingress, egress } }`. */
  public readonly ruleCounts: TerraformLocal;
  /** The target groups (`for_each` over the targets). */
  public readonly targetGroups: LbTargetGroup;
  /** Per shard: its load balancer's ARN and ARN suffix, and its security group id. */
  public readonly shards: TerraformLocal;
  private lookup?: DnsARecordSet;
  private readonly settings: TerraformLocal;

  constructor(private readonly scope: Construct, input: EmitInput) {
    const provider = input.provider;
    const targets = new TerraformLocal(scope, "targets", literal(scope, input.entries));
    const healthChecks = new TerraformLocal(scope, "health_checks", literal(scope, input.healthChecks));
    const settings = new TerraformLocal(scope, "settings", literal(scope, () => ({
      vpc_id: input.vpcId,
      tcp_idle_timeout: input.tcpIdleTimeoutSeconds,
      tags: input.tags ?? {},
      ingress_cidrs: input.ingressCidrs,
      egress_cidrs: input.egressCidrs ?? null,
    })));
    const shards = new TerraformLocal(scope, "shards", Lazy.anyValue({ produce: input.shards }));
    const tags = expr(ref(settings, ".tags"));
    const each = TerraformIterator.fromMap(targets.asAnyMap);
    const hc = (field: string): any => expr(`${ref(healthChecks)}[each.value.health_check].${field}`);
    const shard = (field: string): any => expr(`${ref(shards)}[tostring(each.value.shard)].${field}`);

    const targetGroups = new LbTargetGroup(scope, "TargetGroup", {
      forEach: each,
      name: each.getString("target_group_name"),
      port: each.getNumber("port"),
      protocol: each.getString("protocol"),
      vpcId: input.vpcId,
      targetType: "ip",
      deregistrationDelay: String(input.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        protocol: hc("protocol"),
        port: hc("port"),
        path: hc("path"),
        healthyThreshold: hc("healthy_threshold"),
        unhealthyThreshold: hc("unhealthy_threshold"),
        interval: hc("interval"),
        timeout: hc("timeout"),
        matcher: hc("matcher"),
      },
      // A changed port, protocol or VPC replaces the group under a new name (the name hashes
      // them): the new one exists before the old one goes.
      lifecycle: { createBeforeDestroy: true },
      tags,
      provider,
    });
    const targetGroupArn = (key: string) => expr(ref(targetGroups, `[${key}].arn`));

    // Every (target, IP) pair: literal IPs, and the addresses DNS returns on this plan (unless the
    // router's IP sync registers the `host` targets' addresses itself: then there is no lookup).
    const ips = new TerraformLocal(scope, "target_ips", Lazy.anyValue({
      produce: () => expr(`merge({ for k, v in ${ref(targets)} : k => v.ips if v.ips != null }${
        this.lookup ? `, { for k, r in ${ref(this.lookup)} : k => r.addrs }` : ""})`),
    }));
    const pairs = new TerraformLocal(scope, "target_ip_pairs",
      expr(`{ for p in flatten([for k, ips in ${ref(ips)} : [for ip in ips : { key = "\${k}/\${ip}", target = k, ip = ip }]]) : p.key => p }`));
    const pairEach = TerraformIterator.fromMap(pairs.asAnyMap);
    const attachments = new LbTargetGroupAttachment(scope, "Attachment", {
      forEach: pairEach,
      targetGroupArn: targetGroupArn("each.value.target"),
      targetId: pairEach.getString("ip"),
      port: expr(`${ref(targets)}[each.value.target].port`),
      availabilityZone: expr(`${ref(targets)}[each.value.target].availability_zone`),
      // A replaced target group gets its targets before its listener moves to it and before the
      // old group loses them: no moment without a registered target.
      lifecycle: { createBeforeDestroy: true },
      provider,
    });


    // Egress: one /32 rule per (target, IP, port), or the given CIDRs on the targets' ports. Keys
    // are built by Terraform from values, so a CIDR may be a token; a rule that several targets
    // of one shard need is written once.
    const egressRules = new TerraformLocal(scope, "egress_rules", expr(input.egressCidrs
      ? `{ for key, rs in { for r in flatten([for k, t in ${ref(targets)} : [for c in ${ref(settings)}.egress_cidrs : [for e in distinct(split(",", t.egress)) : { key = "\${t.shard}/\${c}/\${e}", shard = t.shard, cidr = c, protocol = split(":", e)[0], port = tonumber(split(":", e)[1]) }]]]) : r.key => r... } : key => rs[0] }`
      : `{ for r in flatten([for k, p in ${ref(pairs)} : [for e in distinct(split(",", ${ref(targets)}[p.target].egress)) : { key = "\${k}/\${e}", shard = ${ref(targets)}[p.target].shard, cidr = "\${p.ip}/32", protocol = split(":", e)[0], port = tonumber(split(":", e)[1]) }]]) : r.key => r }`));
    const egressEach = TerraformIterator.fromMap(egressRules.asAnyMap);
    const egress = new VpcSecurityGroupEgressRule(scope, "Egress", {
      forEach: egressEach,
      securityGroupId: shard("security_group_id"),
      cidrIpv4: egressEach.getString("cidr"),
      ipProtocol: egressEach.getString("protocol"),
      fromPort: egressEach.getNumber("port"),
      toPort: egressEach.getNumber("port"),
      description: expr("each.key"),
      tags,
      provider,
    });

    new LbListener(scope, "Listener", {
      forEach: each,
      loadBalancerArn: shard("load_balancer_arn"),
      port: each.getNumber("listener_port"),
      protocol: each.getString("protocol"),
      // TCP listeners only (UDP ones take none); the value is a literal or a token in the settings.
      tcpIdleTimeoutSeconds: expr(`each.value.protocol == "TCP" ? ${ref(settings)}.tcp_idle_timeout : null`),
      defaultAction: [{ type: "forward", targetGroupArn: targetGroupArn("each.key") }],
      // The new group's targets are registered and reachable (egress) before the listener moves.
      dependsOn: [attachments, egress],
      tags,
      provider,
    });

    // Ingress (only with ingressCidrs): each listener port from each CIDR.
    const ingressRules = new TerraformLocal(scope, "ingress_rules",
      expr(`{ for r in flatten([for k, t in ${ref(targets)} : [for c in ${ref(settings)}.ingress_cidrs : [for p in (t.protocol == "TCP_UDP" ? ["tcp", "udp"] : [lower(t.protocol)]) : { key = "\${k}/\${c}/\${p}", shard = t.shard, cidr = c, protocol = p, port = t.listener_port }]]]) : r.key => r }`));
    if (input.ingressCidrs.length > 0) {
      const ingressEach = TerraformIterator.fromMap(ingressRules.asAnyMap);
      new VpcSecurityGroupIngressRule(scope, "Ingress", {
        forEach: ingressEach,
        securityGroupId: shard("security_group_id"),
        cidrIpv4: ingressEach.getString("cidr"),
        ipProtocol: ingressEach.getString("protocol"),
        fromPort: ingressEach.getNumber("port"),
        toPort: ingressEach.getNumber("port"),
        tags,
        provider,
      });
    }

    // Rules per shard as Terraform will create them (DNS answers included), for the plan-time
    // quota check on each shard's security group.
    const count = (rules: TerraformLocal) => `length([for r in values(${ref(rules)}) : r if tostring(r.shard) == s])`;
    this.ruleCounts = new TerraformLocal(scope, "rule_counts",
      expr(`{ for s in distinct([for t in values(${ref(targets)}) : tostring(t.shard)]) : s => { ingress = ${count(ingressRules)}, egress = ${count(egressRules)} } }`));
    this.targets = targets;
    this.tags = tags;
    this.settings = settings;
    this.targetGroups = targetGroups;
    this.shards = shards;
  }

  /**
   * A target group name computed by Terraform, for a VPC given as a token: `<readable>-` and the
   * first 6 hex characters of sha256("<digest>\n<vpc id>"), as the router computes it for a
   * literal VPC. `readable` is `[A-Za-z0-9-]` and `digest` hex, so the text holds no user value.
   */
  public targetGroupName(readable: string, digest: string): string {
    return expr(`"${readable}-\${substr(sha256("${digest}\\n\${${ref(this.settings)}.vpc_id}"), 0, 6)}"`);
  }

  /** Adds the DNS lookups (one data source, for_each over the `host` targets), once. */
  public lookUpHosts(provider: TerraformProvider | undefined): void {
    if (this.lookup) return;
    this.lookup = new DnsARecordSet(this.scope, "Lookup", {
      forEach: TerraformIterator.fromMap(expr(`{ for k, v in ${ref(this.targets)} : k => v.host if v.host != null }`)),
      host: expr("each.value"),
      provider,
      lifecycle: {
        postcondition: conditions(this.scope, [
          { condition: expr("length(self.addrs) > 0"), errorMessage: "${self.host} resolved to no IPv4 address: the target group would be empty. Check the name, or use `ips`." },
          {
            condition: expr(`alltrue([for ip in self.addrs : can(regex("${PRIVATE_IP_REGEX}", ip))])`),
            errorMessage: "${self.host} resolved to a public address (${join(\", \", self.addrs)}): an NLB only accepts private IP targets. Use the database's private endpoint, or `ips`.",
          },
        ]),
      },
    });
  }
}
