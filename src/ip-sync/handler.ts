/**
 * IP sync: a Lambda handler (Node.js 22, CommonJS, run on a schedule inside the router's VPC)
 * that keeps the IP targets of the router's NLB target groups in step with the DNS names of
 * their databases, so an RDS/Aurora failover (the endpoint's IP changes) needs no re-apply.
 * It imports only Node built-ins, the ELBv2 SDK v3 (provided by the Lambda runtime) and
 * `./private-ranges`: the deployed zip holds this folder alone.
 *
 * Environment, read and validated on the first invocation (a bad value fails every invocation):
 *   IP_SYNC_TARGETS      required: JSON array of { "name", "host", "port", "targetGroupArn",
 *                        "availabilityZone" }; availabilityZone is "all" when absent, an AZ name,
 *                        or "auto"/null to register without one. Target group ARNs are unique.
 *   IP_SYNC_MISSES       optional positive integer, default 1: a registered IP is deregistered once
 *                        it has been absent from that many consecutive good DNS answers.
 *   IP_SYNC_DNS_SERVERS  optional "ip" or "ip:port" (IPv4), comma-separated; unset or empty: the
 *                        system resolver (in a VPC Lambda, the VPC resolver).
 *   AWS_REGION, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2, ...: the SDK's defaults.
 *
 * Each run, per target (independently): resolve `host` (5 s cap); an error, an empty answer or
 * any address outside 10/8, 172.16/12, 192.168/16, 100.64/10 changes nothing. Otherwise register
 * the answer's IPs that are not registered (draining counts as not registered), count a miss for
 * each registered IP on `port` that is absent, deregister it at IP_SYNC_MISSES, and clear the
 * count of IPs present. Counts live in the target group's tag MISSES_TAG ("10.1.0.10=1 10.1.0.11=2").
 * Only configured target groups are written to. One JSON log line per change, one summary line.
 *
 * Result: { ok, errors, targets: [{ name, targetGroupArn, registered, deregistered, misses,
 * skipped?, error? }] }. A target's AWS error is reported there and logged, never thrown: a
 * throw would fail the whole invocation for one target's sake, make scheduled (async) runs retry
 * every target, and fail a `terraform apply` whose first run merely met IAM propagation delay;
 * the next scheduled run heals it. Alarm on log lines with "event": "error". Config errors throw.
 */
import { Resolver } from "node:dns/promises";
import { isIPv4 } from "node:net";
import { isPrivateIpv4 } from "./private-ranges";
import {
  AddTagsCommand, DeregisterTargetsCommand, DescribeTagsCommand, DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client, RegisterTargetsCommand, RemoveTagsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";

export const MISSES_TAG = "privatelink-router:misses";
const TAG_MAX = 256;
const LOOKUP_MS = 5000;

export interface SyncTarget { name: string; host: string; port: number; targetGroupArn: string; availabilityZone?: string }
export interface SyncConfig { targets: SyncTarget[]; misses: number; dnsServers?: string[] }
export interface SyncDeps {
  elb: Pick<ElasticLoadBalancingV2Client, "send">;
  resolve4: (host: string) => Promise<string[]>;
  log?: Log;
}
export type Log = (entry: Record<string, unknown>) => void;
export interface TargetResult {
  name: string; targetGroupArn: string; registered: string[]; deregistered: string[];
  misses: Record<string, number>; skipped?: string; error?: string;
}
export interface SyncResult { ok: boolean; errors: number; targets: TargetResult[] }

// ---- configuration ----

function fail(what: string, why: string): never { throw new Error(`ip-sync: ${what} ${why}`); }
const TARGET_KEYS = ["name", "host", "port", "targetGroupArn", "availabilityZone"];
const ARN = /^arn:[a-z-]+:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;
const AZ = /^(all|[a-z]{2}(-[a-z]+)+-\d[a-z])$/;

export function loadConfig(env: Record<string, string | undefined>): SyncConfig {
  return { targets: parseTargets(env.IP_SYNC_TARGETS), misses: parseMisses(env.IP_SYNC_MISSES), dnsServers: parseDnsServers(env.IP_SYNC_DNS_SERVERS) };
}

function parseMisses(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : fail("IP_SYNC_MISSES", `must be a positive integer (default 1), got ${JSON.stringify(raw)}`);
}

function parseDnsServers(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  return raw.split(",").map((entry) => {
    const m = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(entry.trim());
    const ok = m && isIPv4(m[1]) && (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 65535));
    return ok ? entry.trim() : fail("IP_SYNC_DNS_SERVERS", `must be comma-separated IPv4 "ip" or "ip:port", got ${JSON.stringify(entry)}`);
  });
}

function parseTargets(raw: string | undefined): SyncTarget[] {
  if (raw === undefined) fail("IP_SYNC_TARGETS", "is required: a JSON array of targets");
  let list: unknown;
  try { list = JSON.parse(raw); } catch (e) { fail("IP_SYNC_TARGETS", `must be a JSON array of targets (${(e as Error).message})`); }
  if (!Array.isArray(list) || list.length === 0) fail("IP_SYNC_TARGETS", "must be a non-empty JSON array of targets");
  const targets = (list as unknown[]).map((t, i) => parseTarget(t, `IP_SYNC_TARGETS[${i}]`));
  const arns = targets.map((t) => t.targetGroupArn);
  const dup = arns.find((a, i) => arns.indexOf(a) !== i);
  if (dup) fail("IP_SYNC_TARGETS", `lists target group ${dup} twice (its miss counts would clash)`);
  return targets;
}

function parseTarget(t: any, where: string): SyncTarget {
  if (typeof t !== "object" || t === null || Array.isArray(t)) fail(where, "must be an object");
  const unknown = Object.keys(t).filter((k) => !TARGET_KEYS.includes(k));
  if (unknown.length > 0) fail(where, `has unknown keys: ${unknown.join(", ")}`);
  for (const key of ["name", "host", "targetGroupArn"]) {
    if (typeof t[key] !== "string" || t[key] === "") fail(`${where}.${key}`, `must be a non-empty string`);
  }
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535) fail(`${where}.port`, `must be an integer from 1 to 65535, got ${JSON.stringify(t.port)}`);
  if (!ARN.test(t.targetGroupArn)) fail(`${where}.targetGroupArn`, `is not a target group ARN: ${t.targetGroupArn}`);
  const az = t.availabilityZone === undefined ? "all" : t.availabilityZone === null || t.availabilityZone === "auto" ? undefined : t.availabilityZone;
  if (az !== undefined && !(typeof az === "string" && AZ.test(az))) fail(`${where}.availabilityZone`, `must be "all", "auto", null or an AZ name, got ${JSON.stringify(az)}`);
  return { name: t.name, host: t.host, port: t.port, targetGroupArn: t.targetGroupArn, availabilityZone: az };
}

// ---- DNS ----

/** resolve4 through `servers` (or the system's), rejecting after `timeoutMs`. */
export function dnsResolve4(servers?: string[], timeoutMs = LOOKUP_MS): (host: string) => Promise<string[]> {
  return async (host) => {
    const resolver = new Resolver({ timeout: 1500, tries: 2 });
    if (servers) resolver.setServers(servers);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => { resolver.cancel(); reject(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: "ETIMEOUT" })); }, timeoutMs);
    });
    try { return await Promise.race([resolver.resolve4(host), deadline]); } finally { clearTimeout(timer); }
  };
}

const ipNum = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
const byIp = (a: string, b: string) => ipNum(a) - ipNum(b);
/** True when `ip` is a private IPv4 address (the ranges an NLB accepts). */
export function isPrivate(ip: string): boolean {
  return isPrivateIpv4(ip);
}

/** The answer's IPs (sorted, unique), or why it is not usable. */
async function lookup(host: string, resolve4: SyncDeps["resolve4"]): Promise<{ ips: string[]; skip?: string }> {
  let ips: string[];
  try { ips = [...new Set(await resolve4(host))].sort(byIp); } catch (e: any) { return { ips: [], skip: `DNS error: ${e?.code ?? e?.message ?? e}` }; }
  if (ips.length === 0) return { ips, skip: "empty DNS answer" };
  const refused = ips.filter((ip) => !isPrivate(ip));
  return refused.length > 0 ? { ips, skip: `not a private address: ${refused.join(" ")}` } : { ips };
}

// ---- miss counts (the tag) ----

export function parseMissTag(value: string | undefined): Map<string, number> {
  const misses = new Map<string, number>();
  for (const m of (value ?? "").matchAll(/(?:^|\s)([0-9.]+)=(\d+)(?=\s|$)/g)) if (isIPv4(m[1])) misses.set(m[1], Number(m[2]));
  return misses;
}

/** The tag value (sorted by IP), dropping the lowest counts while it is over 256 characters. */
export function formatMissTag(misses: Map<string, number>): { value: string; dropped: string[] } {
  const kept = [...misses].sort(([a, x], [b, y]) => y - x || byIp(a, b));
  const render = () => [...kept].sort(([a], [b]) => byIp(a, b)).map(([ip, n]) => `${ip}=${n}`).join(" ");
  const dropped: string[] = [];
  while (render().length > TAG_MAX) dropped.push(kept.pop()![0]);
  return { value: render(), dropped: dropped.sort(byIp) };
}

/** What this answer changes: new IPs, IPs out after `threshold` misses, the next counts. */
export function plan(answer: string[], registered: string[], misses: Map<string, number>, threshold: number) {
  const register = answer.filter((ip) => !registered.includes(ip));
  const deregister: string[] = [];
  const next = new Map<string, number>();
  for (const ip of registered.filter((r) => !answer.includes(r))) {
    const count = (misses.get(ip) ?? 0) + 1;
    if (count >= threshold) deregister.push(ip); else next.set(ip, count);
  }
  return { register, deregister, misses: next };
}

// ---- one target ----

/** A TargetDescription, with no AvailabilityZone key at all when there is none. */
const described = (ip: string, port: number, az: string | undefined) => (az === undefined ? { Id: ip, Port: port } : { Id: ip, Port: port, AvailabilityZone: az });

async function syncTarget(t: SyncTarget, threshold: number, deps: SyncDeps, log: Log): Promise<TargetResult> {
  const arn = t.targetGroupArn;
  const result: TargetResult = { name: t.name, targetGroupArn: arn, registered: [], deregistered: [], misses: {} };
  const event = (name: string, ips: string[], extra: Record<string, unknown> = {}) => log({ event: name, target: t.name, targetGroupArn: arn, ips, ...extra });
  try {
    const answer = await lookup(t.host, deps.resolve4);
    if (answer.skip) {
      event("skipped", answer.ips, { host: t.host, reason: answer.skip });
      return { ...result, skipped: answer.skip };
    }
    const health = await deps.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    const mine = (health.TargetHealthDescriptions ?? []).filter((d) => d.Target?.Port === t.port && d.TargetHealth?.State !== "draining");
    const zoneOf = new Map(mine.map((d) => [d.Target!.Id!, d.Target!.AvailabilityZone]));
    const tags = await deps.elb.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    const tag = tags.TagDescriptions?.[0]?.Tags?.find((x) => x.Key === MISSES_TAG)?.Value;
    const p = plan(answer.ips, [...zoneOf.keys()], parseMissTag(tag), threshold);

    if (p.register.length > 0) {
      await deps.elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: p.register.map((ip) => described(ip, t.port, t.availabilityZone)) }));
      event("register", p.register, { port: t.port, availabilityZone: t.availabilityZone ?? null });
      result.registered = p.register;
    }
    if (p.deregister.length > 0) {
      await deps.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: p.deregister.map((ip) => described(ip, t.port, zoneOf.get(ip))) }));
      event("deregister", p.deregister, { port: t.port, misses: threshold });
      result.deregistered = p.deregister;
    }
    const { value, dropped } = formatMissTag(p.misses);
    if (value === "" && tag !== undefined) await deps.elb.send(new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: [MISSES_TAG] }));
    else if (value !== "" && value !== tag) await deps.elb.send(new AddTagsCommand({ ResourceArns: [arn], Tags: [{ Key: MISSES_TAG, Value: value }] }));
    if (p.misses.size > 0) event("miss", [...p.misses.keys()].sort(byIp), { misses: Object.fromEntries(p.misses), of: threshold });
    if (dropped.length > 0) event("misses-truncated", dropped, { reason: `tag value over ${TAG_MAX} characters: lowest counts dropped` });
    result.misses = Object.fromEntries(parseMissTag(value));
  } catch (e: any) {
    result.error = `${e?.name ?? "Error"}: ${e?.message ?? e}`;
    event("error", [], { error: result.error });
  }
  return result;
}

// ---- the run and the handler ----

export async function sync(config: SyncConfig, deps: SyncDeps): Promise<SyncResult> {
  const log: Log = deps.log ?? ((e) => console.log(JSON.stringify(e)));
  const targets = await Promise.all(config.targets.map((t) => syncTarget(t, config.misses, deps, log)));
  const count = (f: (r: TargetResult) => number) => targets.reduce((n, r) => n + f(r), 0);
  const errors = count((r) => (r.error ? 1 : 0));
  log({
    event: "summary", targets: targets.length, registered: count((r) => r.registered.length), deregistered: count((r) => r.deregistered.length),
    misses: count((r) => Object.keys(r.misses).length), skipped: count((r) => (r.skipped ? 1 : 0)), errors,
  });
  return { ok: errors === 0, errors, targets };
}

const defaultDeps = (config: SyncConfig): SyncDeps => ({ elb: new ElasticLoadBalancingV2Client({}), resolve4: dnsResolve4(config.dnsServers) });

/** A handler reading `env` on its first invocation (and again after a config error). */
export function createHandler(env: Record<string, string | undefined> = process.env, makeDeps = defaultDeps): () => Promise<SyncResult> {
  let ready: { config: SyncConfig; deps: SyncDeps } | undefined;
  return async () => {
    if (!ready) { const config = loadConfig(env); ready = { config, deps: makeDeps(config) }; }
    return sync(ready.config, ready.deps);
  };
}

export const handler = createHandler();
