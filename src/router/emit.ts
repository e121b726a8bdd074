// Emits a router's per-target Terraform: the `locals` maps (every user value travels in them,
// as literals or tokens) and one `for_each` resource per kind, keyed by target name.
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LbTargetGroupAttachment } from "@cdktf/provider-aws/lib/lb-target-group-attachment";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Lazy, TerraformLocal, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { maskTokens } from "../core/cdktf-seam";
import { addressOf, escapeTemplate, expression, forEachOver, keyedEntries, keyedList, literal } from "../core/expressions";
import { readablePart, shortHash, withHash } from "../core/names";
import { isToken } from "../core/validate";
import { HostLookup } from "./host-lookup";
import { Placement } from "./port-planner";
import { MAX_RULES_PER_SECURITY_GROUP } from "./rule-budget";
import { RouterSettings } from "./router-settings";
import { protocolsOf, ResolvedHealthCheck, TARGET_PROTOCOLS, TargetSpec } from "./target-spec";

/**
 * One entry of the per-target map in `locals`: every entry has every field (null where none).
 * An `ips` target's addresses are in their own map (`literalIps`): most targets have none, and
 * a null field per entry would cost 21 KB of JSON per 1,000 targets.
 */
export interface TargetEntry {
  readonly host: string | null;
  readonly port: number;
  readonly listener_port: number;
  readonly shard: number;
  readonly protocol: string;
  readonly availability_zone: string | null;
  /**
   * The target group's name; with a token VPC only its readable part, because the name hashes
   * the VPC id and a value unknown at plan must not enter a map that feeds `for_each`.
   */
  readonly target_group_name: string;
  /** With a token VPC only: the hash input Terraform completes with the VPC id. */
  readonly target_group_digest?: string;
  readonly health_check: string;
  /** The egress ports, comma-joined. */
  readonly egress: string;
}

/** A health check in Terraform's shape, as the `health_checks` local holds it. */
interface HealthCheckEntry {
  readonly protocol: string;
  readonly port: string;
  readonly path: string | null;
  readonly healthy_threshold: number;
  readonly unhealthy_threshold: number;
  readonly interval: number;
  readonly timeout: number;
  readonly matcher: string | null;
}

/** What the emitted resources read besides the targets. */
export interface EmitInput {
  readonly settings: RouterSettings;
  /** Per shard index: its load balancer ARN and ARN suffix and security group id (references). */
  readonly shards: () => { [index: string]: { load_balancer_arn: string; load_balancer_arn_suffix: string; security_group_id: string } };
  readonly provider?: TerraformProvider;
}

/** The locals and the per-target resources of a router, emitted into the router's scope. */
export class TargetResources {
  /** The per-target map. */
  public readonly targets: TerraformLocal;
  /** The addresses of the `ips` targets, by target name. */
  public readonly literalIps: TerraformLocal;
  /** The router's tags, for its other resources (a local, so tag text reaches AWS as written). */
  public readonly tags: any;
  /** The target groups (`for_each` over the targets). */
  public readonly targetGroups: LbTargetGroup;
  /** Per shard: its load balancer's ARN and ARN suffix, and its security group id. */
  public readonly shards: TerraformLocal;
  /** The router's settings (`vpc_id`, `subnet_ids`, `tags`, CIDRs...), literals or tokens. */
  public readonly settings: TerraformLocal;
  /** Security group rules per shard, counted by Terraform: `{ "<shard>" = { ingress, egress } }`. */
  private readonly ruleCounts: TerraformLocal;
  private readonly entries = new Map<string, TargetEntry>();
  private readonly ipLists = new Map<string, string[]>();
  private readonly healthChecks = new Map<string, HealthCheckEntry>();
  private readonly healthCheckKeys = new Map<string, string>();
  private readonly tokenHealthCheckShapes = new Map<string, number>();
  private lookup?: HostLookup;
  private entriesView?: { [name: string]: TargetEntry };
  private ipListsView?: { [name: string]: string[] };
  private healthChecksView?: { [key: string]: HealthCheckEntry };

  constructor(private readonly scope: Construct, private readonly input: EmitInput) {
    const provider = input.provider;
    const s = input.settings;
    // The same object until a target is added, so that `literal` converts it once per synthesis.
    const targets = new TerraformLocal(scope, "targets", literal(scope, () => (this.entriesView ??= sortedObject(this.entries))));
    const literalIps = new TerraformLocal(scope, "literal_ips", literal(scope, () => (this.ipListsView ??= sortedObject(this.ipLists))));
    const healthChecks = new TerraformLocal(scope, "health_checks", literal(scope, () => (this.healthChecksView ??= sortedObject(this.healthChecks))));
    const settings = new TerraformLocal(scope, "settings", literal(scope, () => ({
      vpc_id: s.vpcId,
      subnet_ids: s.subnetIds,
      tcp_idle_timeout: s.tcpIdleTimeoutSeconds,
      tags: s.tags ?? {},
      ingress_cidrs: keyedList(s.ingressCidrs),
      egress_cidrs: s.egressCidrs === undefined ? null : keyedList(s.egressCidrs),
      protocols: Object.fromEntries(TARGET_PROTOCOLS.map((p) => [p, protocolsOf(p)])),
    })));
    const shards = new TerraformLocal(scope, "shards", literal(scope, input.shards));
    const tags = expression(addressOf(settings, ".tags"));
    const value = (field: string): any => expression(`each.value.${field}`);
    const hc = (field: string): any => expression(`${addressOf(healthChecks)}[each.value.health_check].${field}`);
    const shard = (field: string): any => expression(`${addressOf(shards)}[tostring(each.value.shard)].${field}`);

    const targetGroups = new LbTargetGroup(scope, "TargetGroup", {
      forEach: forEachOver(addressOf(targets)),
      name: isToken(s.vpcId) ? tokenVpcTargetGroupName(addressOf(settings)) : value("target_group_name"),
      port: value("port"),
      protocol: value("protocol"),
      vpcId: s.vpcId,
      targetType: "ip",
      deregistrationDelay: String(s.deregistrationDelaySeconds),
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
    const targetGroupArn = (key: string) => expression(addressOf(targetGroups, `[${key}].arn`));

    // Every (target, IP) pair: literal IPs, and the addresses DNS returns on this plan (unless the
    // router's IP sync registers the `host` targets' addresses itself: then there is no lookup).
    const ips = new TerraformLocal(scope, "target_ips", Lazy.anyValue({
      produce: () => expression(`merge(${addressOf(literalIps)}${
        this.lookup ? `, { for k, r in ${addressOf(this.lookup.dataSource)} : k => r.addrs }` : ""})`),
    }));
    const pairs = new TerraformLocal(scope, "target_ip_pairs",
      expression(`{ for p in flatten([for k, ips in ${addressOf(ips)} : [for ip in ips : { key = "\${k}/\${ip}", target = k, ip = ip }]]) : p.key => p }`));
    const attachments = new LbTargetGroupAttachment(scope, "Attachment", {
      forEach: forEachOver(addressOf(pairs)),
      targetGroupArn: targetGroupArn("each.value.target"),
      targetId: value("ip"),
      port: expression(`${addressOf(targets)}[each.value.target].port`),
      availabilityZone: expression(`${addressOf(targets)}[each.value.target].availability_zone`),
      // A replaced target group gets its targets before its listener moves to it and before the
      // old group loses them: no moment without a registered target.
      lifecycle: { createBeforeDestroy: true },
      provider,
    });

    // Egress: one /32 rule per (target, IP, port), or the given CIDRs on the targets' ports. Keys
    // are built by Terraform from values, so a CIDR may be a token; a rule that several targets
    // of one shard need is written once.
    const egressRules = new TerraformLocal(scope, "egress_rules", expression(s.egressCidrs
      ? `{ for key, rs in { for r in flatten([for k, t in ${addressOf(targets)} : [for ck, c in ${keyedEntries(addressOf(settings), "egress_cidrs", s.egressCidrs)} : [for e in distinct(split(",", t.egress)) : { key = "\${t.shard}/\${ck}/\${e}", shard = t.shard, cidr = c, protocol = split(":", e)[0], port = tonumber(split(":", e)[1]) }]]]) : r.key => r... } : key => rs[0] }`
      : `{ for r in flatten([for k, p in ${addressOf(pairs)} : [for e in distinct(split(",", ${addressOf(targets)}[p.target].egress)) : { key = "\${k}/\${e}", shard = ${addressOf(targets)}[p.target].shard, cidr = "\${p.ip}/32", protocol = split(":", e)[0], port = tonumber(split(":", e)[1]) }]]) : r.key => r }`));
    const egress = new VpcSecurityGroupEgressRule(scope, "Egress", {
      forEach: forEachOver(addressOf(egressRules)),
      securityGroupId: shard("security_group_id"),
      cidrIpv4: value("cidr"),
      ipProtocol: value("protocol"),
      fromPort: value("port"),
      toPort: value("port"),
      description: expression("each.key"),
      tags,
      provider,
    });

    new LbListener(scope, "Listener", {
      forEach: forEachOver(addressOf(targets)),
      loadBalancerArn: shard("load_balancer_arn"),
      port: value("listener_port"),
      protocol: value("protocol"),
      // TCP listeners only (UDP ones take none); the value is a literal or a token in the settings.
      tcpIdleTimeoutSeconds: expression(`each.value.protocol == "TCP" ? ${addressOf(settings)}.tcp_idle_timeout : null`),
      defaultAction: [{ type: "forward", targetGroupArn: targetGroupArn("each.key") }],
      // The new group's targets are registered and reachable (egress) before the listener moves.
      dependsOn: [attachments, egress],
      tags,
      provider,
    });

    // Ingress (only with ingressCidrs): each listener port from each CIDR, per IP protocol.
    const ingressRules = new TerraformLocal(scope, "ingress_rules",
      expression(`{ for r in flatten([for k, t in ${addressOf(targets)} : [for ck, c in ${keyedEntries(addressOf(settings), "ingress_cidrs", s.ingressCidrs)} : [for p in ${addressOf(settings)}.protocols[t.protocol] : { key = "\${k}/\${ck}/\${p}", shard = t.shard, cidr = c, protocol = p, port = t.listener_port }]]]) : r.key => r }`));
    if (s.ingressCidrs.length > 0) {
      new VpcSecurityGroupIngressRule(scope, "Ingress", {
        forEach: forEachOver(addressOf(ingressRules)),
        securityGroupId: shard("security_group_id"),
        cidrIpv4: value("cidr"),
        ipProtocol: value("protocol"),
        fromPort: value("port"),
        toPort: value("port"),
        tags,
        provider,
      });
    }

    // Rules per shard as Terraform will create them (DNS answers included), for the plan-time
    // quota check on each shard's security group.
    const count = (rules: TerraformLocal) => `length([for r in values(${addressOf(rules)}) : r if tostring(r.shard) == s])`;
    this.ruleCounts = new TerraformLocal(scope, "rule_counts",
      expression(`{ for s in distinct([for t in values(${addressOf(targets)}) : tostring(t.shard)]) : s => { ingress = ${count(ingressRules)}, egress = ${count(egressRules)} } }`));
    this.targets = targets;
    this.literalIps = literalIps;
    this.tags = tags;
    this.settings = settings;
    this.targetGroups = targetGroups;
    this.shards = shards;
  }

  /** Adds a placed target to the map (its resources come from the `for_each`). */
  public add(spec: TargetSpec, placement: Placement, routerPath: string): void {
    this.entriesView = undefined;
    this.ipListsView = undefined;
    this.healthChecksView = undefined;
    if (spec.ips) this.ipLists.set(spec.name, spec.ips);
    const hc = healthCheckEntry(spec.healthCheck);
    const hcJson = JSON.stringify(hc);
    const hcKey = this.healthCheckKeys.get(hcJson) ?? this.newHealthCheckKey(hcJson);
    this.healthCheckKeys.set(hcJson, hcKey);
    this.healthChecks.set(hcKey, hc);
    this.entries.set(spec.name, {
      host: spec.host ?? null,
      port: spec.port,
      listener_port: placement.listenerPort,
      shard: placement.shard,
      protocol: spec.protocol,
      availability_zone: spec.availabilityZone === "auto" ? null : spec.availabilityZone,
      ...this.targetGroupName(spec, routerPath),
      health_check: hcKey,
      egress: spec.egressPorts.join(","),
    });
  }

  /**
   * A key for a health check not seen before: the hash of its values. Token numbers change
   * whenever other code makes tokens, so a check holding tokens is keyed by where they are,
   * and by how many checks of that shape came before: the output stays the same.
   */
  private newHealthCheckKey(hcJson: string): string {
    const shape = maskTokens(hcJson, "<token>");
    if (shape === hcJson) return shortHash(hcJson);
    const seen = this.tokenHealthCheckShapes.get(shape) ?? 0;
    this.tokenHealthCheckShapes.set(shape, seen + 1);
    return shortHash(`${shape}\n${seen}`);
  }

  /** Adds the DNS lookups of the `host` targets (one data source), once. */
  public lookUpHosts(provider: () => TerraformProvider | undefined): void {
    this.lookup ??= new HostLookup(this.scope, this.targets, provider());
  }

  /**
   * Plan-time checks of every shard's security group rules against the quota, counted by Terraform
   * from the DNS answers: a name that resolves to several addresses brings several /32 rules.
   */
  public ruleQuotaConditions(routerPath: string): { condition: any; errorMessage: string }[] {
    const counts = addressOf(this.ruleCounts);
    const quota = MAX_RULES_PER_SECURITY_GROUP;
    const router = escapeTemplate(routerPath); // a template: the path is text
    const over = (kind: string, what: string) => `\${join(", ", [for s, c in ${counts} : "shard \${s} would need \${c.${kind}} ${what}" if c.${kind} > ${quota}])}`;
    return [
      {
        condition: expression(`alltrue([for c in values(${counts}) : c.egress <= ${quota}])`),
        errorMessage: `Router ${router}: ${over("egress", "outbound rules (one per resolved IP address and port)")}, over the ${quota}-rule security group quota: set \`egressCidrs\` to the databases' networks (one rule per CIDR and port), or lower \`maxTargetsPerLoadBalancer\`.`,
      },
      {
        condition: expression(`alltrue([for c in values(${counts}) : c.ingress <= ${quota}])`),
        errorMessage: `Router ${router}: ${over("ingress", "inbound rules (`ingressCidrs` x listener ports)")}, over the ${quota}-rule security group quota: list fewer \`ingressCidrs\` (PrivateLink traffic needs none), or lower \`maxTargetsPerLoadBalancer\`.`,
      },
    ];
  }

  /**
   * A target group's name: `<serviceName>-<target>-<hash6>`, the hash over the router's path,
   * the target, its port and protocol, the target type and the VPC, so that a change that
   * replaces the group also renames it. With a token VPC the entry holds only literals (the
   * readable part and the digest) and Terraform completes the hash in the resource's `name`
   * (tokenVpcTargetGroupName): the same name, and no VPC id in the `for_each` map.
   */
  private targetGroupName(spec: TargetSpec, routerPath: string): Pick<TargetEntry, "target_group_name" | "target_group_digest"> {
    const s = this.input.settings;
    const readable = readablePart([s.serviceName.slice(0, 20), spec.name]);
    const digest = shortHash(JSON.stringify([routerPath, spec.name, spec.port, spec.protocol, "ip"]), 64);
    if (!isToken(s.vpcId)) return { target_group_name: withHash(readable, shortHash(`${digest}\n${s.vpcId}`)) };
    return { target_group_name: readable, target_group_digest: digest };
  }
}

/**
 * The name of a target group whose VPC is a token: the entry's readable part and the first 6 hex
 * characters of sha256("<digest>\n<vpc id>"), as `withHash` writes it. References only.
 */
function tokenVpcTargetGroupName(settings: string): string {
  const hash = `substr(sha256("\${each.value.target_group_digest}\\n\${${settings}.vpc_id}"), 0, 6)`;
  return expression(`each.value.target_group_name == "" ? ${hash} : "\${each.value.target_group_name}-\${${hash}}"`);
}

/** A health check in Terraform's shape (field order fixes its key's hash). */
function healthCheckEntry(hc: ResolvedHealthCheck): HealthCheckEntry {
  return {
    protocol: hc.protocol,
    port: hc.port,
    path: hc.path,
    healthy_threshold: hc.healthyThreshold,
    unhealthy_threshold: hc.unhealthyThreshold,
    interval: hc.interval,
    timeout: hc.timeout,
    matcher: hc.matcher,
  };
}

/** A plain object with the map's keys sorted, so output never depends on insertion order. */
function sortedObject<T>(m: Map<string, T>): { [key: string]: T } {
  const out: { [key: string]: T } = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}
