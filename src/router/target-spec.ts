// One target, checked and completed: validation, defaults, its derived name, health check and
// egress ports, as a `TargetSpec` in the router's own (camelCase) terms. No Terraform here.
import { IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import {
  ipInCidr, isToken, show, validateHostname, validateOneOf, validatePattern, validatePort, validatePrivateIp, validateRange,
} from "../core/validate";
import { HealthCheckOptions, RouterTarget } from "./target-types";

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const TARGET_PROTOCOLS = ["TCP", "UDP", "TCP_UDP"];

/** A health check after defaults: every field set (numbers and strings may be tokens). */
export interface ResolvedHealthCheck {
  readonly protocol: string;
  readonly port: string;
  readonly path: string | null;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly interval: number;
  readonly timeout: number;
  readonly matcher: string | null;
}

/** A target after validation and defaults. */
export interface TargetSpec {
  readonly name: string;
  readonly host?: string;
  readonly ips?: string[];
  readonly port: number;
  readonly listenerPort?: number;
  /** TCP, UDP or TCP_UDP. */
  readonly protocol: string;
  /** "all", "auto" or an Availability Zone name. */
  readonly availabilityZone: string;
  readonly healthCheck: ResolvedHealthCheck;
  /** The ports the load balancer must reach, as `"<protocol>:<port>"` (traffic, then health check). */
  readonly egressPorts: string[];
  /** The name notebooks connect to (`domainName`, else `host`); undefined for an `ips` target without one. */
  readonly domainName?: string;
}

/** What a target is checked against: the router's defaults and its other targets. */
export interface TargetContext {
  readonly defaultHealthCheck: HealthCheckOptions;
  readonly egressCidrs?: string[];
  /** True when another target already has this name. */
  readonly nameTaken: (name: string) => boolean;
}

/** The IP protocols of a listener protocol: TCP_UDP is tcp and udp. */
export function protocolsOf(protocol: string): string[] {
  return protocol === "TCP_UDP" ? ["tcp", "udp"] : [protocol.toLowerCase()];
}

/**
 * The ports a target's load balancer must reach: its traffic port (per protocol) and its
 * health-check port (a token port is kept; Terraform removes duplicates).
 */
export function egressPortsOf(protocol: string, port: number, hc: ResolvedHealthCheck): string[] {
  const out = protocolsOf(protocol).map((p) => `${p}:${port}`);
  const hcPort = hc.port === "traffic-port" ? String(port) : hc.port; // a token port stays a token
  if (!out.includes(`tcp:${hcPort}`)) out.push(`tcp:${hcPort}`);
  return out;
}

/** Validates a target and completes it with defaults; throws ValidationError on bad input. */
export function specifyTarget(scope: IConstruct, t: RouterTarget, ctx: TargetContext): TargetSpec {
  const name = validateTarget(scope, t, ctx);
  const protocol = t.protocol ?? "TCP";
  const healthCheck = t.healthCheck === undefined
    ? defaultHealthCheckOf(scope, ctx.defaultHealthCheck, name)
    : resolveHealthCheck(scope, ctx.defaultHealthCheck, t.healthCheck, `targets["${name}"].healthCheck`);
  const host = normalizeDnsName(t.host);
  return {
    name,
    host,
    ips: t.ips ? [...t.ips] : undefined,
    port: t.port,
    listenerPort: t.listenerPort,
    protocol,
    availabilityZone: t.availabilityZone ?? "all",
    healthCheck,
    egressPorts: egressPortsOf(protocol, t.port, healthCheck),
    domainName: normalizeDnsName(t.domainName) ?? host,
  };
}

/**
 * A DNS name as the library uses it everywhere (lookups, rules, acceptance, outputs, derived
 * names): lower case, without the trailing dot of a fully qualified name pasted from a console.
 * DNS names are case-insensitive, so nothing is lost. A token stays as it is.
 */
export function normalizeDnsName(name: string): string;
export function normalizeDnsName(name: string | undefined): string | undefined;
export function normalizeDnsName(name: string | undefined): string | undefined {
  if (name === undefined || name === null || isToken(name)) return name;
  return name.toLowerCase().replace(/\.$/, "");
}

/** The router's health check as a target without its own gets it: resolved once per router. */
const resolvedDefaults = new WeakMap<HealthCheckOptions, ResolvedHealthCheck>();
function defaultHealthCheckOf(scope: IConstruct, defaults: HealthCheckOptions, name: string): ResolvedHealthCheck {
  let hc = resolvedDefaults.get(defaults);
  if (!hc) {
    hc = resolveHealthCheck(scope, defaults, undefined, `targets["${name}"].healthCheck`);
    resolvedDefaults.set(defaults, hc);
  }
  return hc;
}

/** Validates a target and returns its name. */
function validateTarget(scope: IConstruct, t: RouterTarget, ctx: TargetContext): string {
  if (t === null || typeof t !== "object") {
    throw new ValidationError(`a target must be an object like { host, port } (got ${show(t)}); pass a RouterTarget`, scope);
  }
  const hasHost = t.host !== undefined && t.host !== null;
  const hasIps = t.ips !== undefined && t.ips !== null;
  const label = t.name ?? t.host ?? (Array.isArray(t.ips) ? t.ips[0] : undefined) ?? "?";
  if (hasHost === hasIps) {
    throw new ValidationError(`target ${show(label)} must set exactly one of \`host\` and \`ips\` (` +
      `got ${hasHost ? "both" : "neither"}); give a DNS name in \`host\` or literal addresses in \`ips\``, scope);
  }
  if (hasHost) validateHostname(scope, `targets[${show(label)}].host`, t.host!);
  if (hasIps) validateIps(scope, label, t.ips!, ctx.egressCidrs);
  const name = t.name ?? (hasHost ? normalizeDnsName(t.host!).split(".")[0] : `ip-${t.ips![0].replace(/\./g, "-")}`);
  if (isToken(name) || typeof name !== "string" || !TARGET_NAME.test(name)) {
    throw new ValidationError(`\`targets[${show(label)}].name\` must be 1-64 letters, digits, ".", "_" or "-", starting with a letter ` +
      `or digit (got ${show(name)}); set \`name\``, scope);
  }
  if (ctx.nameTaken(name)) {
    throw new ValidationError(`two targets are named ${show(name)}${t.name === undefined ? " (derived from the first label of " +
      "`host`)" : ""}; target names are the stable keys of their resources: give each target a distinct \`name\``, scope);
  }
  if (isToken(t.port)) {
    throw new ValidationError(`\`targets[${show(name)}].port\` is a token; the router needs the literal port to plan listeners`, scope);
  }
  validatePort(scope, `targets[${show(name)}].port`, t.port);
  if (t.port === undefined) {
    throw new ValidationError(`\`targets[${show(name)}].port\` is missing; give the database's port, e.g. 5432`, scope);
  }
  if (t.listenerPort !== undefined && isToken(t.listenerPort)) {
    throw new ValidationError(`\`targets[${show(name)}].listenerPort\` is a token; pin a literal port`, scope);
  }
  validatePort(scope, `targets[${show(name)}].listenerPort`, t.listenerPort);
  for (const [field, value] of [["protocol", t.protocol], ["availabilityZone", t.availabilityZone]] as const) {
    if (isToken(value)) {
      throw new ValidationError(`\`targets[${show(name)}].${field}\` is a token; it must be literal because it decides the target's ` +
        `listener, rules and registration`, scope);
    }
  }
  validateOneOf(scope, `targets[${show(name)}].protocol`, t.protocol, TARGET_PROTOCOLS);
  validatePattern(scope, `targets[${show(name)}].availabilityZone`, t.availabilityZone, /^(all|auto|[a-z]{2}(-[a-z]+)+-\d[a-z])$/,
    "\"all\" (IPs outside the VPC), \"auto\" (IPs inside it) or an Availability Zone name like us-east-1a");
  if (t.domainName !== undefined) {
    if (isToken(t.domainName)) {
      throw new ValidationError(`\`targets[${show(name)}].domainName\` is a token; it must be literal because it decides which private ` +
        `endpoint rule carries the target`, scope);
    }
    validateHostname(scope, `targets[${show(name)}].domainName`, t.domainName);
  }
  return name;
}

/** Literal, private, distinct addresses, inside `egressCidrs` when given. */
function validateIps(scope: IConstruct, label: string, ips: string[], egressCidrs: string[] | undefined): void {
  if (isToken(ips)) {
    throw new ValidationError(`\`targets[${show(label)}].ips\` is a token; the router needs literal addresses to key its resources (` +
      `use \`host\` for addresses known only at apply time)`, scope);
  }
  if (!Array.isArray(ips) || ips.length === 0) {
    throw new ValidationError(
      `\`targets[${show(label)}].ips\` must list at least one address (got ${show(ips)}); give the database's private IPs`, scope);
  }
  ips.forEach((ip) => validatePrivateIp(scope, `targets[${show(label)}].ips`, ip));
  const dup = ips.find((ip, i) => ips.indexOf(ip) !== i);
  if (dup) throw new ValidationError(`\`targets[${show(label)}].ips\` lists ${dup} twice; list each address once`, scope);
  const outside = egressCidrs && !isToken(egressCidrs) ? ips.find((ip) => !egressCidrs.some((c) => isToken(c) || ipInCidr(ip, c))) :
    undefined;
  if (outside) {
    throw new ValidationError(`\`targets[${show(label)}].ips\` has ${outside}, outside every \`egressCidrs\` ` +
      `block (${egressCidrs!.join(", ")}), so the load balancer could never reach it; add its network to \`egressCidrs\``, scope);
  }
}

/** Merges a health check over the router's default and checks it against the NLB limits. */
export function resolveHealthCheck(scope: IConstruct, defaults: HealthCheckOptions, over: HealthCheckOptions | undefined, prop: string):
  ResolvedHealthCheck {
  const o = { ...defaults, ...stripUndefined(over ?? {}) };
  if (isToken(o.protocol)) {
    throw new ValidationError(`\`${prop}.protocol\` is a token; it must be literal ("TCP", "HTTP" or "HTTPS") because it decides which ` +
      `other health-check fields apply`, scope);
  }
  const protocol = o.protocol ?? "TCP";
  // A path inherited from the router's HTTP check does not follow a target onto TCP.
  if (over?.path === undefined && protocol === "TCP") delete o.path;
  validateOneOf(scope, `${prop}.protocol`, protocol, ["TCP", "HTTP", "HTTPS"]);
  const port = o.port ?? "traffic-port";
  if (!isToken(port) && port !== "traffic-port" && !(/^\d+$/.test(String(port)) && +port >= 1 && +port <= 65535)) {
    throw new ValidationError(
      `\`${prop}.port\` must be "traffic-port" or a port from 1 to 65535 as a string (got ${show(port)}); e.g. "8080"`, scope);
  }
  const http = protocol !== "TCP";
  if (o.path !== undefined && !http) {
    throw new ValidationError(`\`${prop}.path\` is only for HTTP and HTTPS health checks (got path ${show(o.path)} with ` +
      `protocol ${protocol}); remove path or set protocol "HTTP"`, scope);
  }
  if (o.path !== undefined && !isToken(o.path) && (typeof o.path !== "string" || !/^\/\S{0,1023}$/.test(o.path))) {
    throw new ValidationError(
      `\`${prop}.path\` must start with "/" and have no spaces, at most 1024 characters (got ${show(o.path)}); e.g. "/health"`, scope);
  }
  validateRange(scope, `${prop}.healthyThreshold`, o.healthyThreshold, 2, 10);
  validateRange(scope, `${prop}.unhealthyThreshold`, o.unhealthyThreshold, 2, 10);
  validateRange(scope, `${prop}.intervalSeconds`, o.intervalSeconds, 5, 300);
  validateRange(scope, `${prop}.timeoutSeconds`, o.timeoutSeconds, 2, 120);
  const interval = o.intervalSeconds ?? 30;
  const timeout = o.timeoutSeconds ?? 10;
  if (!isToken(interval) && !isToken(timeout) && interval <= timeout) {
    throw new ValidationError(
      `\`${prop}.intervalSeconds\` must be greater than \`timeoutSeconds\` (got interval ${interval}, timeout ${timeout}); AWS refuses ` +
      `"Health check interval must be greater than the timeout": raise the interval or lower the timeout`, scope);
  }
  return {
    protocol,
    port,
    path: http ? o.path ?? "/" : null,
    healthyThreshold: o.healthyThreshold ?? 3,
    unhealthyThreshold: o.unhealthyThreshold ?? 3,
    interval,
    timeout,
    matcher: http ? "200-399" : null,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
