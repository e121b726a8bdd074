// The schemas of the router's per-target `locals` maps, the one place their fields are named.
// Expressions read a field through these constants (`${t}.${TARGET.host}`), never by its name
// in text: renaming a field here breaks the build, not a Terraform plan.

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

/** `<map>[tostring(<shard>)].<field>`: a shard's entry read by a target's shard number. */
export function shardField(shards: string, shard: string, field: keyof ShardEntry): string {
  return `${shards}[tostring(${shard})].${SHARD[field]}`;
}
