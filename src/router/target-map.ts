// The schemas of the router's per-target `locals` maps, the one place their fields are named.
// Expressions read a field through these constants (`${t}.${TARGET.host}`) and build an entry
// through `entryOf`, never by its name in text: renaming a field here breaks the build, not a
// Terraform plan.
import type { ResolvedHealthCheck } from "./target-spec";

/**
 * One entry of the per-target map (`targets`): every entry has every field (null where none).
 * An `ips` target's addresses are in their own map (`literal_ips`): most targets have none, and
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
  /** The key of the target's entry in `health_checks`. */
  readonly health_check: string;
  /** The egress ports, comma-joined (`tcp:5432,udp:5432`). */
  readonly egress: string;
}

/** A health check in Terraform's shape, as the `health_checks` map holds it. */
export interface HealthCheckEntry {
  readonly protocol: string;
  readonly port: string;
  readonly path: string | null;
  readonly healthy_threshold: number;
  readonly unhealthy_threshold: number;
  readonly interval: number;
  readonly timeout: number;
  readonly matcher: string | null;
}

/** Per shard (`shards`, keyed by the shard's index as a string): references to its resources. */
export interface ShardEntry {
  readonly load_balancer_arn: string;
  readonly load_balancer_arn_suffix: string;
  readonly security_group_id: string;
}

/** Per target (`target_groups`): what other resources read of its target group. */
export interface TargetGroupEntry {
  readonly arn: string;
  readonly arn_suffix: string;
  readonly name: string;
}

/** One (target, IP) pair of `target_ip_pairs`, keyed `<target>/<ip>`: an attachment each. */
export interface TargetIpPair {
  readonly key: string;
  readonly target: string;
  readonly ip: string;
}

/** One security group rule of `egress_rules` or `ingress_rules`, keyed by `key`. */
export interface RuleEntry {
  readonly key: string;
  readonly shard: number;
  readonly cidr: string;
  readonly protocol: string;
  readonly port: number;
}

/** Per shard (`alarm_shards`, keyed by the shard's index): what its endpoint alarms read. */
export interface AlarmShardEntry {
  readonly service_id: string;
  readonly name: string;
}

/** Every field name of T, as a constant that must list exactly T's fields. */
type Fields<T> = { readonly [K in keyof Required<T>]: K };

export const TARGET: Fields<TargetEntry> = {
  host: "host",
  port: "port",
  listener_port: "listener_port",
  shard: "shard",
  protocol: "protocol",
  availability_zone: "availability_zone",
  target_group_name: "target_group_name",
  target_group_digest: "target_group_digest",
  health_check: "health_check",
  egress: "egress",
};

export const HEALTH_CHECK: Fields<HealthCheckEntry> = {
  protocol: "protocol",
  port: "port",
  path: "path",
  healthy_threshold: "healthy_threshold",
  unhealthy_threshold: "unhealthy_threshold",
  interval: "interval",
  timeout: "timeout",
  matcher: "matcher",
};

export const SHARD: Fields<ShardEntry> = {
  load_balancer_arn: "load_balancer_arn",
  load_balancer_arn_suffix: "load_balancer_arn_suffix",
  security_group_id: "security_group_id",
};

export const TARGET_GROUP: Fields<TargetGroupEntry> = { arn: "arn", arn_suffix: "arn_suffix", name: "name" };

export const IP_PAIR: Fields<TargetIpPair> = { key: "key", target: "target", ip: "ip" };

export const RULE: Fields<RuleEntry> = { key: "key", shard: "shard", cidr: "cidr", protocol: "protocol", port: "port" };

export const ALARM_SHARD: Fields<AlarmShardEntry> = { service_id: "service_id", name: "name" };

/**
 * An HCL object expression with exactly T's fields, each given as expression text
 * (`{ key = "${k}/${ip}", target = k, ip = ip }`): the object a Terraform `for` builds per entry.
 */
export function entryOf<T>(values: { readonly [K in keyof Required<T>]: string }): string {
  return `{ ${Object.entries<string>(values).map(([field, value]) => `${field} = ${value}`).join(", ")} }`;
}

/** `<map>[tostring(<shard>)].<field>`: a shard's entry read by a target's shard number. */
export function shardField(shards: string, shard: string, field: keyof ShardEntry): string {
  return `${shards}[tostring(${shard})].${SHARD[field]}`;
}

/** A health check in Terraform's shape (field order fixes its key's hash). */
export function healthCheckEntry(hc: ResolvedHealthCheck): HealthCheckEntry {
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
