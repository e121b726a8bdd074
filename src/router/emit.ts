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
import { shortHash } from "../core/names";
import { isToken } from "../core/validate";
import { HostLookup } from "./host-lookup";
import { Placement } from "./port-planner";
import { MAX_RULES_PER_SECURITY_GROUP } from "./rule-budget";
import { RouterSettings } from "./router-settings";
import { tagReferences, tagSettings, Tags } from "./tags";
import { targetGroupName, tokenVpcTargetGroupName } from "./target-group-name";
import { protocolsOf, TARGET_PROTOCOLS, TargetSpec } from "./target-spec";
import {
  entryOf, HEALTH_CHECK, HealthCheckEntry, healthCheckEntry, IP_PAIR, RULE, RuleEntry, shardField, ShardEntry, TARGET, TARGET_GROUP,
  TargetEntry, TargetIpPair,
} from "./target-map";

/** What the emitted resources read besides the targets. */
export interface EmitInput {
  readonly settings: RouterSettings;
  /** Per shard index: its load balancer ARN and ARN suffix and security group id (references). */
  readonly shards: () => { [index: string]: ShardEntry };
  readonly provider?: TerraformProvider;
}

/** The locals and the per-target resources of a router, emitted into the router's scope. */
export class TargetResources {
  /** The per-target map. */
  public readonly targets: TerraformLocal;
  /** The addresses of the `ips` targets, by target name. */
  public readonly literalIps: TerraformLocal;
  /** The router's tags, for its other resources (each value read from the settings local, so tag text reaches AWS as written). */
  public readonly tags: Tags;
  /** The target groups (`for_each` over the targets, after the DNS lookups when there are any). */
  public readonly targetGroups: LbTargetGroup;
  /** What per-target resources read of the target groups: `arn`, `arn_suffix`, `name` by target. */
  public readonly targetGroupValues: TerraformLocal;
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
    const healthChecks =
      new TerraformLocal(scope, "health_checks", literal(scope, () => (this.healthChecksView ??= sortedObject(this.healthChecks))));
    const settings = new TerraformLocal(scope, "settings", literal(scope, () => ({
      vpc_id: s.vpcId,
      subnet_ids: s.subnetIds,
      tcp_idle_timeout: s.tcpIdleTimeoutSeconds,
      ...tagSettings(s.tags),
      ingress_cidrs: keyedList(s.ingressCidrs),
      egress_cidrs: s.egressCidrs === undefined ? null : keyedList(s.egressCidrs),
      protocols: Object.fromEntries(TARGET_PROTOCOLS.map((p) => [p, protocolsOf(p)])),
    })));
    const shards = new TerraformLocal(scope, "shards", literal(scope, input.shards));
    const tags = tagReferences(addressOf(settings), s.tags);
    // Readers of the maps (target-map.ts names their fields): for_each over targets, or rules.
    const value = (field: keyof TargetEntry): any => expression(`each.value.${TARGET[field]}`);
    const rule = (field: keyof RuleEntry): any => expression(`each.value.${RULE[field]}`);
    const hc = (field: keyof HealthCheckEntry): any =>
      expression(`${addressOf(healthChecks)}[each.value.${TARGET.health_check}].${HEALTH_CHECK[field]}`);
    // A shard's resource for each target (listeners) or each rule (security group rules).
    const shard = (field: keyof ShardEntry, of = `each.value.${TARGET.shard}`): any => expression(shardField(addressOf(shards), of, field));
    const ruleShard = `each.value.${RULE.shard}`;

    const targetGroups = new LbTargetGroup(scope, "TargetGroup", {
      forEach: forEachOver(() => addressOf(this.lookup?.targetsAfterLookups ?? targets)), // after the lookups (host-lookup.ts)
      name: isToken(s.vpcId) ? tokenVpcTargetGroupName(addressOf(settings)) : value("target_group_name"),
      port: value("port"),
      protocol: value("protocol"),
      vpcId: s.vpcId,
      targetType: "ip",
      deregistrationDelay: String(s.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        protocol: hc("protocol"), port: hc("port"), path: hc("path"),
        healthyThreshold: hc("healthy_threshold"), unhealthyThreshold: hc("unhealthy_threshold"),
        interval: hc("interval"), timeout: hc("timeout"), matcher: hc("matcher"),
      },
      // A changed port, protocol or VPC replaces the group under a new name (the name hashes
      // them): the new one exists before the old one goes.
      lifecycle: { createBeforeDestroy: true },
      tags,
      provider,
    });
    // What other per-target resources read of the target groups, in one local. An instance that
    // referred to `aws_lb_target_group.<id>[key]` itself would depend on every target group
    // instance: Terraform builds instances x instances graph edges, the largest cost of a plan of
    // many targets (BENCHMARKS.md, "Terraform's cost"). Through a local: instances + instances.
    const groupFields = Object.values(TARGET_GROUP).map((f) => `${f} = g.${f}`).join(", ");
    const groups =
      new TerraformLocal(scope, "target_groups", expression(`{ for k, g in ${addressOf(targetGroups)} : k => { ${groupFields} } }`));
    const groupOf = (key: string) => `${addressOf(groups)}[${key}]`;

    // Every (target, IP) pair: literal IPs, and the addresses DNS returns on this plan (unless the
    // router's IP sync registers the `host` targets' addresses itself: then there is no lookup).
    const ips = new TerraformLocal(scope, "target_ips", Lazy.anyValue({
      produce: () => expression(`merge(${addressOf(literalIps)}${
        this.lookup ? `, { for k, r in ${addressOf(this.lookup.dataSource)} : k => r.addrs }` : ""})`),
    }));
    const pairOfIp = entryOf<TargetIpPair>({ key: '"\${k}/\${ip}"', target: "k", ip: "ip" });
    const pairsOf = `[for k, ips in ${addressOf(ips)} : [for ip in ips : ${pairOfIp}]]`;
    const pairs = new TerraformLocal(scope, "target_ip_pairs", expression(`{ for p in flatten(${pairsOf}) : p.${IP_PAIR.key} => p }`));
    const pairTarget = `each.value.${IP_PAIR.target}`;
    const attachments = new LbTargetGroupAttachment(scope, "Attachment", {
      forEach: forEachOver(addressOf(pairs)),
      targetGroupArn: expression(`${groupOf(pairTarget)}.${TARGET_GROUP.arn}`),
      targetId: expression(`each.value.${IP_PAIR.ip}`),
      port: expression(`${addressOf(targets)}[${pairTarget}].${TARGET.port}`),
      availabilityZone: expression(`${addressOf(targets)}[${pairTarget}].${TARGET.availability_zone}`),
      // A replaced target group gets its targets before its listener moves to it and before the
      // old group loses them: no moment without a registered target.
      lifecycle: { createBeforeDestroy: true },
      provider,
    });

    // Egress: one /32 rule per (target, IP, port), or the given CIDRs on the targets' ports. Keys
    // are built by Terraform from values, so a CIDR may be a token; a rule that several targets
    // of one shard need is written once.
    const all = addressOf(targets);
    const egressPorts = (target: string) => `distinct(split(",", ${target}.${TARGET.egress}))`;
    const ofPort = { protocol: 'split(":", e)[0]', port: 'tonumber(split(":", e)[1])' }; // of `e`, "tcp:5432"
    const cidrs = keyedEntries(addressOf(settings), "egress_cidrs", s.egressCidrs);
    const shardOfT = `t.${TARGET.shard}`;
    const ruleOfCidr = entryOf<RuleEntry>({ key: `"\${${shardOfT}}/\${ck}/\${e}"`, shard: shardOfT, cidr: "c", ...ofPort });
    const byCidr = `[for k, t in ${all} : [for ck, c in ${cidrs} : [for e in ${egressPorts("t")} : ${ruleOfCidr}]]]`;
    const pairOfP = `${all}[p.${IP_PAIR.target}]`;
    const ruleOfIp = entryOf<RuleEntry>({
      key: '"\${k}/\${e}"', shard: `${pairOfP}.${TARGET.shard}`, cidr: `"\${p.${IP_PAIR.ip}}/32"`, ...ofPort,
    });
    const perIp = `[for k, p in ${addressOf(pairs)} : [for e in ${egressPorts(pairOfP)} : ${ruleOfIp}]]`;
    const egressRules = new TerraformLocal(scope, "egress_rules", expression(s.egressCidrs
      ? `{ for key, rs in { for r in flatten(${byCidr}) : r.${RULE.key} => r... } : key => rs[0] }`
      : `{ for r in flatten(${perIp}) : r.${RULE.key} => r }`));
    const egress = new VpcSecurityGroupEgressRule(scope, "Egress", {
      forEach: forEachOver(addressOf(egressRules)),
      securityGroupId: shard("security_group_id", ruleShard),
      cidrIpv4: rule("cidr"),
      ipProtocol: rule("protocol"),
      fromPort: rule("port"),
      toPort: rule("port"),
      description: expression("each.key"),
      tags,
      provider,
    });

    // The groups the listeners forward to, once every attachment and egress rule is made: a
    // listener never moves to a group before its targets are registered and reachable. The
    // condition is always true; its references give the order, as `depends_on` would, at the
    // cost of one graph node instead of an edge per listener and attachment (BENCHMARKS.md).
    const ready = `length(${addressOf(attachments)}) + length(${addressOf(egress)}) >= 0`;
    const listenerGroups = new TerraformLocal(scope, "listener_target_groups",
      expression(`${ready} ? { for k, g in ${addressOf(groups)} : k => g.${TARGET_GROUP.arn} } : {}`));
    new LbListener(scope, "Listener", {
      forEach: forEachOver(addressOf(targets)),
      loadBalancerArn: shard("load_balancer_arn"),
      port: value("listener_port"),
      protocol: value("protocol"),
      // TCP listeners only (UDP ones take none); the value is a literal or a token in the settings.
      tcpIdleTimeoutSeconds: expression(`each.value.${TARGET.protocol} == "TCP" ? ${addressOf(settings)}.tcp_idle_timeout : null`),
      defaultAction: [{ type: "forward", targetGroupArn: expression(`${addressOf(listenerGroups)}[each.key]`) }],
      tags,
      provider,
    });

    // Ingress (only with ingressCidrs): each listener port from each CIDR, per IP protocol.
    const ingressCidrs = keyedEntries(addressOf(settings), "ingress_cidrs", s.ingressCidrs);
    const protocolsOfT = `${addressOf(settings)}.protocols[t.${TARGET.protocol}]`;
    const ruleOfListener = entryOf<RuleEntry>({
      key: '"\${k}/\${ck}/\${p}"', shard: shardOfT, cidr: "c", protocol: "p", port: `t.${TARGET.listener_port}`,
    });
    const perListener = `[for k, t in ${all} : [for ck, c in ${ingressCidrs} : [for p in ${protocolsOfT} : ${ruleOfListener}]]]`;
    const ingressRules =
      new TerraformLocal(scope, "ingress_rules", expression(`{ for r in flatten(${perListener}) : r.${RULE.key} => r }`));
    if (s.ingressCidrs.length > 0) {
      new VpcSecurityGroupIngressRule(scope, "Ingress", {
        forEach: forEachOver(addressOf(ingressRules)),
        securityGroupId: shard("security_group_id", ruleShard),
        cidrIpv4: rule("cidr"),
        ipProtocol: rule("protocol"),
        fromPort: rule("port"),
        toPort: rule("port"),
        tags,
        provider,
      });
    }

    // Rules per shard as Terraform will create them (DNS answers included), for the plan-time
    // quota check on each shard's security group.
    const count = (rules: TerraformLocal) => `length([for r in values(${addressOf(rules)}) : r if tostring(r.${RULE.shard}) == s])`;
    this.ruleCounts = new TerraformLocal(scope, "rule_counts",
      expression(`{ for s in distinct([for t in values(${all}) : tostring(${shardOfT})]) : s => { ingress = ${count(ingressRules)}, ` +
        `egress = ${count(egressRules)} } }`));
    this.targets = targets;
    this.literalIps = literalIps;
    this.tags = tags;
    this.settings = settings;
    this.targetGroups = targetGroups;
    this.targetGroupValues = groups;
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
      ...targetGroupName(this.input.settings, spec, routerPath),
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
    const over = (kind: string, what: string) =>
      `\${join(", ", [for s, c in ${counts} : "shard \${s} would need \${c.${kind}} ${what}" if c.${kind} > ${quota}])}`;
    return [
      {
        condition: expression(`alltrue([for c in values(${counts}) : c.egress <= ${quota}])`),
        errorMessage: `Router ${router}: ${over("egress", "outbound rules (one per resolved IP address and port)")}, over ` +
          `the ${quota}-rule security group quota: set \`egressCidrs\` to the databases' networks (one rule per CIDR and port), or ` +
          `lower \`maxTargetsPerLoadBalancer\`.`,
      },
      {
        condition: expression(`alltrue([for c in values(${counts}) : c.ingress <= ${quota}])`),
        errorMessage: `Router ${router}: ${over("ingress", "inbound rules (`ingressCidrs` x listener ports)")}, over the ${quota}-rule ` +
          `security group quota: list fewer \`ingressCidrs\` (PrivateLink traffic needs none), or lower \`maxTargetsPerLoadBalancer\`.`,
      },
    ];
  }
}

/** A plain object with the map's keys sorted, so output never depends on insertion order. */
function sortedObject<T>(m: Map<string, T>): { [key: string]: T } {
  const out: { [key: string]: T } = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}
