import * as path from "path";
import { Aspects, Lazy, TerraformProvider, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import { escapeTemplate, expr, ref } from "../core/expressions";
import { conditions } from "../core/hcl";
import { readablePart, shortHash, uniqueName, withHash } from "../core/names";
import { DnsProviderBlock } from "../core/dns";
import { findDefaultProvider } from "../core/providers";
import {
  ipInCidr, isToken, show, validateCidr, validateHostname, validateOneOf, validatePattern, validatePort,
  validatePrincipal, validatePrivateIp, validateRange,
} from "../core/validate";
import { PlacementError, PortMap, PortPlanner, readPortMap, writePortMap } from "./port-planner";
import type * as AlarmsModule from "./alarms";
import { EgressPort, ResolvedHealthCheck, TargetEntry, TargetResources } from "./emit";
import type * as IpSyncModule from "./ip-sync";
import { RouterShard } from "./router-shard";
import { HealthCheckOptions, PortAssignment, PrivateLinkRouterProps, RouterRoute, RouterTarget } from "./types";

/** AWS's fixed quota of listeners per Network Load Balancer. */
export const MAX_LISTENERS_PER_NLB = 50;
/** AWS's default quota of inbound (and of outbound) rules per security group. */
export const MAX_RULES_PER_SECURITY_GROUP = 60;

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SERVICE_NAME = /^(?!internal-)[A-Za-z0-9]([A-Za-z0-9-]{0,18}[A-Za-z0-9])?$/i;

/** Security group rules of a shard known at synthesis: inbound, outbound (a lower bound) and the egress ports seen. */
interface RuleCount {
  readonly ingress: number;
  readonly egress: number;
  readonly egressPorts: Set<string>;
}

/**
 * A PrivateLink router: internal Network Load Balancers behind VPC endpoint services, one
 * listener port per database, each forwarding to that database's IPs (resolved from DNS on
 * every plan) across Transit Gateway or peering.
 *
 * Per-target resources are emitted once each, as `for_each` over a map keyed by target name
 * (in `locals`), so synthesis costs about the same for 3 targets or 1,000 and a target's
 * Terraform address never depends on its position. Each shard (at most
 * `maxTargetsPerLoadBalancer` listeners) is one NLB, security group and endpoint service.
 */
export class PrivateLinkRouter extends Construct {
  /** Whether endpoint connections must be accepted (`acceptanceRequired`). */
  public readonly acceptanceRequired: boolean;
  /**
   * The AWS provider of the router's resources.
   * @default - the stack's default aws provider
   */
  public readonly awsProvider?: TerraformProvider;
  private readonly props: PrivateLinkRouterProps;
  private readonly serviceName: string;
  private readonly portAssignment: PortAssignment;
  private readonly maxTargets: number;
  private readonly defaultHealthCheck: HealthCheckOptions;
  private readonly ingressCidrs: string[];
  private readonly egressCidrs?: string[];
  private readonly tags?: { [key: string]: string };
  private readonly portMapPath?: string;
  private readonly recorded: PortMap;
  private readonly planner: PortPlanner;
  private readonly principals = new Set<string>();
  /** The allowed principals, sorted: one lazy list shared by every shard's endpoint service. */
  private readonly principalList = Lazy.listValue({ produce: () => [...this.principals].sort() });
  private readonly targetRoutes: RouterRoute[] = [];
  private readonly entries = new Map<string, TargetEntry>();
  private readonly healthChecks = new Map<string, ResolvedHealthCheck>();
  private readonly healthCheckKeys = new Map<string, string>();
  private readonly shardMap = new Map<number, RouterShard>();
  /** Per shard: security group rules known at synthesis (ingress, egress lower bound). */
  private readonly ruleCounts = new Map<number, RuleCount>();
  private readonly resources: TargetResources;
  private readonly vpcIsToken: boolean;

  /**
   * Validates every prop and target, then emits the router. Throws `ValidationError` on bad
   * input, before any resource is made.
   * @param scope the stack (or a construct in it); it must have an aws provider unless `awsProvider` is given
   * @param id construct id; AWS names and Terraform addresses derive from the construct path
   * @param props the VPC, subnets, targets and options
   */
  constructor(scope: Construct, id: string, props: PrivateLinkRouterProps) {
    super(scope, id);
    this.props = props;
    this.serviceName = props.serviceName ?? "privatelink-router";
    this.portAssignment = props.portAssignment ?? PortAssignment.SEQUENTIAL;
    this.maxTargets = props.maxTargetsPerLoadBalancer ?? MAX_LISTENERS_PER_NLB;
    const basePort = props.basePort ?? 10000;
    this.defaultHealthCheck = props.healthCheck ?? {};
    this.ingressCidrs = props.ingressCidrs ?? [];
    this.egressCidrs = props.egressCidrs;
    this.tags = props.tags;
    this.acceptanceRequired = props.acceptanceRequired ?? true;
    this.awsProvider = props.awsProvider;

    this.validateProps(props, basePort);
    this.vpcIsToken = isToken(props.vpcId);
    this.findAwsProvider();
    (props.allowedPrincipals ?? []).forEach((p) => this.allowPrincipal(p));

    this.portMapPath = props.portMapFile === undefined ? undefined : path.resolve(process.cwd(), props.portMapFile);
    this.recorded = this.placementCall(() => (this.portMapPath ? readPortMap(this.portMapPath) : { version: 1, targets: {}, retired: {} }));
    const pins = (props.targets ?? []).map((t) => t.listenerPort).filter((p): p is number => typeof p === "number");
    this.planner = new PortPlanner(this.portAssignment, basePort, this.maxTargets, this.recorded, pins);
    // Every target is validated and placed before any resource is made.
    const initial = (props.targets ?? []).map((t) => this.register(t));

    // The per-target map, written once; every per-target resource iterates over it.
    this.resources = new TargetResources(this, {
      entries: () => sortedObject(this.entries),
      healthChecks: () => sortedObject(this.healthChecks),
      shards: () => Object.fromEntries(this.shards.map((sh) => [String(sh.index), {
        load_balancer_arn: sh.loadBalancer.arn,
        load_balancer_arn_suffix: sh.loadBalancer.arnSuffix,
        security_group_id: sh.securityGroup.id,
      }])),
      tags: this.tags,
      vpcId: props.vpcId,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds ?? 300,
      tcpIdleTimeoutSeconds: props.tcpIdleTimeoutSeconds ?? 350,
      ingressCidrs: this.ingressCidrs,
      egressCidrs: this.egressCidrs,
      provider: props.awsProvider,
    });
    if (props.ipSync) {
      new (ipSyncModule().IpSync)(this, "IpSync", {
        name: uniqueName([this.serviceName, "ip-sync"], `${this.node.path}/ip-sync`, 64),
        vpcId: props.vpcId,
        subnetIds: props.ipSync.subnetIds ?? props.subnetIds,
        schedule: props.ipSync.schedule ?? "rate(1 minute)",
        misses: props.ipSync.deregisterAfterMisses ?? 1,
        dnsServers: props.ipSync.dnsServers,
        createElbEndpoint: props.ipSync.createElbEndpoint ?? true,
        apiEgressCidrs: props.ipSync.apiEgressCidrs,
        targets: this.resources.targets,
        targetGroups: this.resources.targetGroups,
        hostCount: () => this.targetRoutes.filter((r) => r.host !== undefined).length,
        tags: this.resources.tags,
        provider: props.awsProvider,
      });
    }
    if (props.alarms) {
      alarmsModule().addAlarms(this, {
        actions: props.alarms.actions,
        evaluationPeriods: props.alarms.evaluationPeriods ?? 2,
        targets: this.resources.targets,
        targetGroups: this.resources.targetGroups,
        shards: this.resources.shards,
        tags: this.resources.tags,
        provider: props.awsProvider,
      });
    }

    if (this.portMapPath) {
      Aspects.of(this).add({ visit: (node: IConstruct) => { if (node === this) this._savePortMap(); } });
    }
    this.node.addValidation({
      validate: () => (this.targetRoutes.length === 0
        ? [`${this.node.path}: the router has no targets; pass \`targets\` or call addTarget()`] : []),
    });

    initial.forEach((route) => this.materialize(route));
  }

  /**
   * Adds a database; returns where notebooks reach it. Throws ValidationError for bad input,
   * before anything is added.
   * @param target the database: `host` or `ips`, `port`, and options
   */
  public addTarget(target: RouterTarget): RouterRoute {
    const route = this.register(target);
    this.materialize(route);
    return route;
  }

  /**
   * Allows an IAM principal to create endpoints to every shard's service.
   * @param principalArn an IAM principal ARN (`arn:aws:iam::<account>:root|role/...|user/...`); never `*`
   */
  public allowPrincipal(principalArn: string): void {
    validatePrincipal(this, "allowedPrincipals", principalArn);
    this.principals.add(principalArn);
  }

  /**
   * The listener port of a target; throws ValidationError for an unknown name.
   * @param name the target's name
   */
  public portOf(name: string): number {
    const route = this.targetRoutes.find((r) => r.name === name);
    if (!route) {
      throw new ValidationError(`portOf(${show(name)}): no target has that name (targets: ${this.targetRoutes.map((r) => r.name).join(", ") || "none"}); use a target's \`name\``, this);
    }
    return route.listenerPort;
  }

  /** Every target's route, in declaration order. */
  public get routes(): RouterRoute[] {
    return [...this.targetRoutes];
  }

  /** The shards, by index. */
  public get shards(): RouterShard[] {
    return [...this.shardMap.values()].sort((a, b) => a.index - b.index);
  }

  /** The endpoint service names (`com.amazonaws.vpce.<region>.vpce-svc-...`), one per shard: tokens. */
  public get endpointServiceNames(): string[] {
    return this.shards.map((s) => s.endpointService.serviceName);
  }

  /** @internal Writes the port map file (run by an aspect during synthesis). */
  public _savePortMap(): void {
    if (!this.portMapPath) return;
    const targets: { [name: string]: { listenerPort: number; shard: number } } = {};
    for (const r of this.targetRoutes) targets[r.name] = { listenerPort: r.listenerPort, shard: r.shard };
    const retired = { ...this.recorded.retired };
    for (const [name, p] of Object.entries(this.recorded.targets)) if (!(name in targets)) retired[name] = p;
    for (const name of Object.keys(targets)) delete retired[name];
    writePortMap(this.portMapPath, { version: 1, targets, retired });
  }

  /** Validates a target and records it (port, shard, map entry); makes no construct. */
  private register(target: RouterTarget): RouterRoute {
    const name = this.validateTarget(target);
    const protocol = target.protocol ?? "TCP";
    const healthCheck = this.resolveHealthCheck(target.healthCheck, `targets["${name}"].healthCheck`);
    const egress = egressPorts(protocol, target.port, healthCheck);
    const placement = this.placementCall(() => this.planner.plan(name, target.port, target.listenerPort));
    const counts = this.countRules(name, placement.shard, target, egress, protocol);

    // Every check passed: record the target.
    this.planner.take(name, placement);
    this.ruleCounts.set(placement.shard, counts);
    const hcJson = JSON.stringify(healthCheck);
    const hcKey = this.healthCheckKeys.get(hcJson) ?? shortHash(hcJson);
    this.healthCheckKeys.set(hcJson, hcKey);
    this.healthChecks.set(hcKey, healthCheck);
    const az = target.availabilityZone ?? "all";
    this.entries.set(name, {
      host: target.host ?? null,
      ips: target.ips ? [...target.ips] : null,
      port: target.port,
      listener_port: placement.listenerPort,
      shard: placement.shard,
      protocol,
      availability_zone: az === "auto" ? null : az,
      target_group_name: this.targetGroupName(name, target.port, protocol),
      health_check: hcKey,
      egress: egress.join(","),
    });
    const route: RouterRoute = {
      name,
      host: target.host,
      ips: target.ips ? [...target.ips] : undefined,
      targetPort: target.port,
      listenerPort: placement.listenerPort,
      shard: placement.shard,
    };
    this.targetRoutes.push(route);
    return route;
  }

  /** Makes what a registered route needs: its shard, and the DNS lookup for a host. */
  private materialize(route: RouterRoute): void {
    // With IP sync, the function resolves hosts inside the VPC; Terraform does not.
    if (route.host !== undefined && !this.props.ipSync) this.resources.lookUpHosts(this.dnsProvider());
    this.shardFor(route.shard)._addRoute(route);
  }

  private validateProps(props: PrivateLinkRouterProps, basePort: number): void {
    if (!isToken(props.vpcId)) validatePattern(this, "vpcId", props.vpcId, /^vpc-[0-9a-f]{8,17}$/, "a VPC id like vpc-0123456789abcdef0");
    if (!isToken(props.subnetIds)) {
      if (!Array.isArray(props.subnetIds) || props.subnetIds.length === 0) {
        throw new ValidationError(`\`subnetIds\` must list at least one subnet (got ${show(props.subnetIds)}); give one subnet per Availability Zone of the VPC`, this);
      }
      props.subnetIds.forEach((s, i) => validatePattern(this, `subnetIds[${i}]`, s, /^subnet-[0-9a-f]{8,17}$/, "a subnet id like subnet-0123456789abcdef0"));
      const dup = props.subnetIds.find((s, i) => props.subnetIds.indexOf(s) !== i);
      if (dup) throw new ValidationError(`\`subnetIds\` lists ${show(dup)} twice; list each subnet once`, this);
    }
    validatePattern(this, "serviceName", props.serviceName, SERVICE_NAME,
      "1-20 letters, digits and inner hyphens, not starting with \"internal-\" (it prefixes every AWS name)");
    validatePort(this, "basePort", basePort);
    validateOneOf(this, "portAssignment", props.portAssignment, Object.values(PortAssignment));
    validateRange(this, "maxTargetsPerLoadBalancer", props.maxTargetsPerLoadBalancer, 1, MAX_LISTENERS_PER_NLB,
      `AWS allows at most ${MAX_LISTENERS_PER_NLB} listeners per Network Load Balancer (not adjustable); use 1 to ${MAX_LISTENERS_PER_NLB}`);
    validateRange(this, "tcpIdleTimeoutSeconds", props.tcpIdleTimeoutSeconds, 60, 6000);
    validateRange(this, "deregistrationDelaySeconds", props.deregistrationDelaySeconds, 0, 3600);
    if (props.portMapFile !== undefined && (typeof props.portMapFile !== "string" || props.portMapFile.trim() === "")) {
      throw new ValidationError(`\`portMapFile\` must be a file path (got ${show(props.portMapFile)}); e.g. "ports.json", beside cdktf.json`, this);
    }
    if (!isToken(props.ingressCidrs)) (props.ingressCidrs ?? []).forEach((c, i) => validateCidr(this, `ingressCidrs[${i}]`, c, false));
    if (props.egressCidrs !== undefined && !isToken(props.egressCidrs)) {
      if (props.egressCidrs.length === 0) {
        throw new ValidationError("`egressCidrs` is empty, which would let the load balancers reach no target; leave it unset for per-IP rules, or list the targets' networks", this);
      }
      props.egressCidrs.forEach((c, i) => validateCidr(this, `egressCidrs[${i}]`, c, true));
    }
    for (const [k, v] of isToken(props.tags) ? [] : Object.entries(props.tags ?? {})) {
      if (isToken(k)) {
        throw new ValidationError("`tags` has a key that is a token; tag keys must be literal (values may be tokens), or pass the whole map as one token", this);
      }
      if (isToken(v)) continue;
      if (k.length < 1 || k.length > 128 || typeof v !== "string" || v.length > 256 || k.toLowerCase().startsWith("aws:")) {
        throw new ValidationError(`\`tags\` has an invalid tag ${show(k)}=${show(v)}; keys are 1-128 characters and must not start with "aws:", values at most 256 characters`, this);
      }
    }
    this.resolveHealthCheck(props.healthCheck, "healthCheck");
    if (props.ipSync) ipSyncModule().validateIpSync(this, props.ipSync, props.egressCidrs);
    if (props.alarms) alarmsModule().validateAlarms(this, props.alarms);
  }

  private findAwsProvider(): void {
    if (this.props.awsProvider) return;
    const stack = TerraformStack.of(this);
    if (!findDefaultProvider(stack, "aws")) {
      throw new ValidationError(`no aws provider: the stack ${stack.node.id} declares no default AWS provider, and \`awsProvider\` is not set; declare \`new AwsProvider(stack, "aws", { region })\` before the router, or pass \`awsProvider\``, this);
    }
  }

  /** Validates a target and returns its name. */
  private validateTarget(t: RouterTarget): string {
    if (t === null || typeof t !== "object") {
      throw new ValidationError(`a target must be an object like { host, port } (got ${show(t)}); pass a RouterTarget`, this);
    }
    const hasHost = t.host !== undefined && t.host !== null;
    const hasIps = t.ips !== undefined && t.ips !== null;
    const label = t.name ?? t.host ?? (Array.isArray(t.ips) ? t.ips[0] : undefined) ?? "?";
    if (hasHost === hasIps) {
      throw new ValidationError(`target ${show(label)} must set exactly one of \`host\` and \`ips\` (got ${hasHost ? "both" : "neither"}); give a DNS name in \`host\` or literal addresses in \`ips\``, this);
    }
    if (hasHost) validateHostname(this, `targets[${show(label)}].host`, t.host!);
    if (hasIps && !isToken(t.ips)) {
      if (!Array.isArray(t.ips) || t.ips.length === 0) {
        throw new ValidationError(`\`targets[${show(label)}].ips\` must list at least one address (got ${show(t.ips)}); give the database's private IPs`, this);
      }
      t.ips.forEach((ip) => validatePrivateIp(this, `targets[${show(label)}].ips`, ip));
      const dup = t.ips.find((ip, i) => t.ips!.indexOf(ip) !== i);
      if (dup) throw new ValidationError(`\`targets[${show(label)}].ips\` lists ${dup} twice; list each address once`, this);
      const cidrs = this.egressCidrs;
      const outside = cidrs && !isToken(cidrs) ? t.ips.find((ip) => !cidrs.some((c) => isToken(c) || ipInCidr(ip, c))) : undefined;
      if (outside) {
        throw new ValidationError(`\`targets[${show(label)}].ips\` has ${outside}, outside every \`egressCidrs\` block (${cidrs!.join(", ")}), so the load balancer could never reach it; add its network to \`egressCidrs\``, this);
      }
    } else if (hasIps) {
      throw new ValidationError(`\`targets[${show(label)}].ips\` is a token; the router needs literal addresses to key its resources (use \`host\` for addresses known only at apply time)`, this);
    }
    const name = t.name ?? (hasHost ? t.host!.split(".")[0] : `ip-${t.ips![0].replace(/\./g, "-")}`);
    if (isToken(name) || typeof name !== "string" || !TARGET_NAME.test(name)) {
      throw new ValidationError(`\`targets[${show(label)}].name\` must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit (got ${show(name)}); set \`name\``, this);
    }
    if (this.entries.has(name)) {
      throw new ValidationError(`two targets are named ${show(name)}${t.name === undefined ? " (derived from the first label of `host`)" : ""}; target names are the stable keys of their resources: give each target a distinct \`name\``, this);
    }
    if (isToken(t.port)) {
      throw new ValidationError(`\`targets[${show(name)}].port\` is a token; the router needs the literal port to plan listeners`, this);
    }
    validatePort(this, `targets[${show(name)}].port`, t.port);
    if (t.port === undefined) {
      throw new ValidationError(`\`targets[${show(name)}].port\` is missing; give the database's port, e.g. 5432`, this);
    }
    if (t.listenerPort !== undefined && isToken(t.listenerPort)) {
      throw new ValidationError(`\`targets[${show(name)}].listenerPort\` is a token; pin a literal port`, this);
    }
    validatePort(this, `targets[${show(name)}].listenerPort`, t.listenerPort);
    for (const [field, value] of [["protocol", t.protocol], ["availabilityZone", t.availabilityZone]] as const) {
      if (isToken(value)) {
        throw new ValidationError(`\`targets[${show(name)}].${field}\` is a token; it must be literal because it decides the target's listener, rules and registration`, this);
      }
    }
    validateOneOf(this, `targets[${show(name)}].protocol`, t.protocol, ["TCP", "UDP", "TCP_UDP"]);
    validatePattern(this, `targets[${show(name)}].availabilityZone`, t.availabilityZone, /^(all|auto|[a-z]{2}(-[a-z]+)+-\d[a-z])$/,
      "\"all\" (IPs outside the VPC), \"auto\" (IPs inside it) or an Availability Zone name like us-east-1a");
    return name;
  }

  /** Merges a health check over the router's default, checks it against the NLB limits. */
  private resolveHealthCheck(over: HealthCheckOptions | undefined, prop: string): ResolvedHealthCheck {
    const o = { ...this.defaultHealthCheck, ...stripUndefined(over ?? {}) };
    if (isToken(o.protocol)) {
      throw new ValidationError(`\`${prop}.protocol\` is a token; it must be literal ("TCP", "HTTP" or "HTTPS") because it decides which other health-check fields apply`, this);
    }
    const protocol = o.protocol ?? "TCP";
    // A path inherited from the router's HTTP check does not follow a target onto TCP.
    if (over?.path === undefined && protocol === "TCP") delete o.path;
    validateOneOf(this, `${prop}.protocol`, protocol, ["TCP", "HTTP", "HTTPS"]);
    const port = o.port ?? "traffic-port";
    if (!isToken(port) && port !== "traffic-port" && !(/^\d+$/.test(String(port)) && +port >= 1 && +port <= 65535)) {
      throw new ValidationError(`\`${prop}.port\` must be "traffic-port" or a port from 1 to 65535 as a string (got ${show(port)}); e.g. "8080"`, this);
    }
    const http = protocol !== "TCP";
    if (o.path !== undefined && !http) {
      throw new ValidationError(`\`${prop}.path\` is only for HTTP and HTTPS health checks (got path ${show(o.path)} with protocol ${protocol}); remove path or set protocol "HTTP"`, this);
    }
    if (o.path !== undefined && !isToken(o.path) && (typeof o.path !== "string" || !/^\/\S{0,1023}$/.test(o.path))) {
      throw new ValidationError(`\`${prop}.path\` must start with "/" and have no spaces, at most 1024 characters (got ${show(o.path)}); e.g. "/health"`, this);
    }
    validateRange(this, `${prop}.healthyThreshold`, o.healthyThreshold, 2, 10);
    validateRange(this, `${prop}.unhealthyThreshold`, o.unhealthyThreshold, 2, 10);
    validateRange(this, `${prop}.intervalSeconds`, o.intervalSeconds, 5, 300);
    validateRange(this, `${prop}.timeoutSeconds`, o.timeoutSeconds, 2, 120);
    const interval = o.intervalSeconds ?? 30;
    const timeout = o.timeoutSeconds ?? 10;
    if (!isToken(interval) && !isToken(timeout) && interval <= timeout) {
      throw new ValidationError(`\`${prop}.intervalSeconds\` must be greater than \`timeoutSeconds\` (got interval ${interval}, timeout ${timeout}); AWS refuses "Health check interval must be greater than the timeout": raise the interval or lower the timeout`, this);
    }
    return {
      protocol,
      port,
      path: http ? o.path ?? "/" : null,
      healthy_threshold: o.healthyThreshold ?? 3,
      unhealthy_threshold: o.unhealthyThreshold ?? 3,
      interval,
      timeout,
      matcher: http ? "200-399" : null,
    };
  }

  /** Counts the security group rules known at synthesis; throws when a shard would pass the quota. */
  /** The shard's security group rule counts with this target; throws when they pass the quota. */
  private countRules(name: string, shard: number, t: RouterTarget, egress: string[], protocol: string): RuleCount {
    const c = this.ruleCounts.get(shard) ?? { ingress: 0, egress: 0, egressPorts: new Set<string>() };
    const ingress = c.ingress + this.ingressCidrs.length * (protocol === "TCP_UDP" ? 2 : 1);
    const newPorts = egress.filter((e) => !c.egressPorts.has(e));
    const out = this.egressCidrs
      ? c.egress + this.egressCidrs.length * newPorts.length
      : c.egress + (t.ips?.length ?? 1) * egress.length;
    const quota = MAX_RULES_PER_SECURITY_GROUP;
    if (ingress > quota) {
      throw new ValidationError(`target ${show(name)} brings shard ${shard}'s inbound rules to ${ingress} (\`ingressCidrs\` x listener ports), over the ${quota}-rule security group quota; list fewer \`ingressCidrs\` (PrivateLink traffic needs none) or lower \`maxTargetsPerLoadBalancer\``, this);
    }
    if (out > quota) {
      throw new ValidationError(`target ${show(name)} brings shard ${shard}'s outbound rules to at least ${out}, over the ${quota}-rule security group quota; set \`egressCidrs\` to the targets' networks (one rule per CIDR and port) or lower \`maxTargetsPerLoadBalancer\``, this);
    }
    return { ingress, egress: out, egressPorts: new Set([...c.egressPorts, ...newPorts]) };
  }

  /** The dns provider of the lookups: `dnsProvider`, else the stack's (created if absent, and left implicit). */
  private dnsProvider(): TerraformProvider | undefined {
    if (this.props.dnsProvider) return this.props.dnsProvider;
    const stack = TerraformStack.of(this);
    if (!findDefaultProvider(stack, "dns")) new DnsProviderBlock(stack, "dns");
    return undefined;
  }

  private shardFor(index: number): RouterShard {
    let s = this.shardMap.get(index);
    if (!s) {
      const stackPath = this.node.path;
      s = new RouterShard(this, `Shard${index}`, {
        index,
        name: uniqueName([this.serviceName, String(index)], `${stackPath}/${index}`),
        vpcId: this.props.vpcId,
        subnetIds: this.props.subnetIds,
        crossZoneLoadBalancing: this.props.crossZoneLoadBalancing ?? true,
        enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: this.props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? false,
        acceptanceRequired: this.acceptanceRequired,
        allowedPrincipals: this.principalList,
        tags: this.resources.tags,
        provider: this.props.awsProvider,
      });
      // One check for every shard, on the first shard's security group (shard 0 always exists).
      if (index === 0) s.securityGroup.lifecycle = { precondition: conditions(this, this.ruleQuotaConditions()) };
      this.shardMap.set(index, s);
    }
    return s;
  }

  /**
   * A target group's name: `<serviceName>-<target>-<hash6>`, the hash over the router's path,
   * the target, its port and protocol, the target type and the VPC, so that a change that
   * replaces the group also renames it. With a token VPC, Terraform computes the same hash.
   */
  private targetGroupName(name: string, port: number, protocol: string): string {
    const readable = readablePart([this.serviceName, name]);
    const digest = shortHash(JSON.stringify([this.node.path, name, port, protocol, "ip"]), 64);
    if (this.vpcIsToken) return Lazy.stringValue({ produce: () => this.resources.targetGroupName(readable, digest) });
    return withHash(readable, shortHash(`${digest}\n${this.props.vpcId}`));
  }

  /**
   * Plan-time checks of every shard's security group rules against the quota, counted by Terraform
   * from the DNS answers: a name that resolves to several addresses brings several /32 rules.
   */
  private ruleQuotaConditions(): { condition: any; errorMessage: string }[] {
    const counts = ref(this.resources.ruleCounts);
    const quota = MAX_RULES_PER_SECURITY_GROUP;
    const router = escapeTemplate(this.node.path); // a template: the path is text
    const over = (kind: string, what: string) => `\${join(", ", [for s, c in ${counts} : "shard \${s} would need \${c.${kind}} ${what}" if c.${kind} > ${quota}])}`;
    return [
      {
        condition: expr(`alltrue([for c in values(${counts}) : c.egress <= ${quota}])`),
        errorMessage: `Router ${router}: ${over("egress", "outbound rules (one per resolved IP address and port)")}, over the ${quota}-rule security group quota: set \`egressCidrs\` to the databases' networks (one rule per CIDR and port), or lower \`maxTargetsPerLoadBalancer\`.`,
      },
      {
        condition: expr(`alltrue([for c in values(${counts}) : c.ingress <= ${quota}])`),
        errorMessage: `Router ${router}: ${over("ingress", "inbound rules (`ingressCidrs` x listener ports)")}, over the ${quota}-rule security group quota: list fewer \`ingressCidrs\` (PrivateLink traffic needs none), or lower \`maxTargetsPerLoadBalancer\`.`,
      },
    ];
  }

  private placementCall<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PlacementError) throw new ValidationError(e.message, this);
      throw e;
    }
  }
}

// IP sync and alarms pull in a dozen provider modules: loaded only by a router that uses them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ipSyncModule = (): typeof IpSyncModule => require("./ip-sync");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const alarmsModule = (): typeof AlarmsModule => require("./alarms");

/**
 * The ports a target's load balancer must reach: its traffic port (tcp and udp for TCP_UDP) and
 * its health-check port (a token port is kept; Terraform removes duplicates).
 */
function egressPorts(protocol: string, port: number, hc: ResolvedHealthCheck): EgressPort[] {
  const out = protocol === "TCP_UDP" ? [`tcp:${port}`, `udp:${port}`] : [`${protocol.toLowerCase()}:${port}`];
  const hcPort = hc.port === "traffic-port" ? String(port) : hc.port; // a token port stays a token
  if (!out.includes(`tcp:${hcPort}`)) out.push(`tcp:${hcPort}`);
  return out;
}

/** A plain object with the map's keys sorted, so output never depends on insertion order. */
function sortedObject<T>(m: Map<string, T>): { [key: string]: T } {
  return Object.fromEntries([...m.keys()].sort().map((k) => [k, m.get(k)!]));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
