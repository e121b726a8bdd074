/**
 * IP sync: a Lambda handler (Node.js 22, CommonJS, run on a schedule and on RDS events inside the
 * router's VPC) that keeps the IP targets of the router's NLB target groups in step with the DNS
 * names of their databases, so an RDS/Aurora failover (the endpoint's IP changes) needs no
 * re-apply. It imports only Node built-ins, the ELBv2 SDK v3 (provided by the Lambda runtime),
 * `./private-ranges` and `./events`: the deployed zip holds this folder alone.
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
 * Input. An EventBridge RDS event (`"source": "aws.rds"`, detail type "RDS DB Instance Event" or
 * "RDS DB Cluster Event") starts an event run: the targets whose host is an endpoint of the
 * event's instance or cluster (its first DNS label is the `detail.SourceIdentifier`, `rds:`
 * prefix dropped), or every target when none is; each is re-resolved every 2 s until the answer
 * differs from what is registered or 60 s pass, then synced as below. Any other input (the
 * schedule's event, `{"source": "terraform-apply"}`, none) is a scheduled run of every target.
 * Runs in one execution environment take turns; across environments reserved concurrency 1
 * holds, and Lambda's queue retries an asynchronous invocation throttled meanwhile.
 *
 * Each sync, per target (independently): resolve `host` (5 s cap); an error, an empty answer or
 * any address outside 10/8, 172.16/12, 192.168/16, 100.64/10 changes nothing. Otherwise register
 * the answer's IPs that are not registered (draining counts as not registered), count a miss for
 * each registered IP on `port` that is absent, deregister it at IP_SYNC_MISSES, and clear the
 * count of IPs present. Counts live in the target group's tag MISSES_TAG ("10.1.0.10=1 10.1.0.11=2").
 * Only configured target groups are written to. One JSON log line per change, one summary line,
 * written to stdout as bare JSON (no runtime prefix) so metric filters can match `$.event`.
 *
 * Result: { ok, errors, targets: [{ name, targetGroupArn, registered, deregistered, misses,
 * skipped?, error? }], event? }. A target's AWS error is reported there and logged, never thrown:
 * a throw would fail the whole invocation for one target's sake, make scheduled (async) runs
 * retry every target, and fail a `terraform apply` whose first run merely met IAM propagation
 * delay; the next scheduled run heals it. Alarm on log lines with "event": "error". Config errors throw.
 */
import { Resolver } from "node:dns/promises";
import { isIPv4 } from "node:net";
import { loadConfig, SyncConfig, SyncTarget } from "./config";
import { Clock, concernedTargets, parseRdsEvent, pollUntil, RdsEvent, realClock } from "./events";
import { isPrivateIpv4 } from "./private-ranges";
import {
  AddTagsCommand, DeregisterTargetsCommand, DescribeTagsCommand, DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client, RegisterTargetsCommand, RemoveTagsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";

export { loadConfig };
export type { SyncConfig, SyncTarget };

export const MISSES_TAG = "privatelink-router:misses";
const TAG_MAX = 256;
const LOOKUP_MS = 5000;

export interface SyncDeps {
  elb: Pick<ElasticLoadBalancingV2Client, "send">;
  resolve4: (host: string) => Promise<string[]>;
  log?: Log;
  /** The clock event runs wait with (default: the real one). */
  clock?: Clock;
}
export type Log = (entry: Record<string, unknown>) => void;
export interface TargetResult {
  name: string; targetGroupArn: string; registered: string[]; deregistered: string[];
  misses: Record<string, number>; skipped?: string; error?: string;
}
export interface SyncResult {
  ok: boolean; errors: number; targets: TargetResult[];
  /** An event run's trigger: the instance or cluster, and whether a target's host matched it. */
  event?: { source: string; eventId?: string; matched: boolean };
}

// ---- DNS ----

/** resolve4 through `servers` (or the system's), rejecting after `timeoutMs`. */
export function dnsResolve4(servers?: string[], timeoutMs = LOOKUP_MS): (host: string) => Promise<string[]> {
  return async (host) => {
    const resolver = new Resolver({ timeout: 1500, tries: 2 });
    if (servers) resolver.setServers(servers);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() =>
        { resolver.cancel(); reject(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: "ETIMEOUT" })); }, timeoutMs);
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
  try { ips = [...new Set(await resolve4(host))].sort(byIp); } catch (e: any) {
    return { ips: [], skip: `DNS error: ${e?.code ?? e?.message ?? e}` }; }
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
const described = (ip: string, port: number, az: string | undefined) =>
  (az === undefined ? { Id: ip, Port: port } : { Id: ip, Port: port, AvailabilityZone: az });

/** The targets registered for `t` on its port (draining ones excluded): IP -> the zone they were registered with. */
async function registeredTargets(t: SyncTarget, deps: SyncDeps): Promise<Map<string, string | undefined>> {
  const health = await deps.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: t.targetGroupArn }));
  const mine = (health.TargetHealthDescriptions ?? []).filter((d) => d.Target?.Port === t.port && d.TargetHealth?.State !== "draining");
  return new Map(mine.map((d) => [d.Target!.Id!, d.Target!.AvailabilityZone]));
}

async function syncTarget(t: SyncTarget, threshold: number, deps: SyncDeps, log: Log): Promise<TargetResult> {
  const arn = t.targetGroupArn;
  const result: TargetResult = { name: t.name, targetGroupArn: arn, registered: [], deregistered: [], misses: {} };
  const event = (name: string, ips: string[], extra: Record<string, unknown> = {}) =>
    log({ event: name, target: t.name, targetGroupArn: arn, ips, ...extra });
  try {
    const answer = await lookup(t.host, deps.resolve4);
    if (answer.skip) {
      event("skipped", answer.ips, { host: t.host, reason: answer.skip });
      return { ...result, skipped: answer.skip };
    }
    const zoneOf = await registeredTargets(t, deps);
    const tags = await deps.elb.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    const tag = tags.TagDescriptions?.[0]?.Tags?.find((x) => x.Key === MISSES_TAG)?.Value;
    const p = plan(answer.ips, [...zoneOf.keys()], parseMissTag(tag), threshold);

    if (p.register.length > 0) {
      await deps.elb.send(
        new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: p.register.map((ip) => described(ip, t.port, t.availabilityZone)) }));
      event("register", p.register, { port: t.port, availabilityZone: t.availabilityZone ?? null });
      result.registered = p.register;
    }
    if (p.deregister.length > 0) {
      await deps.elb.send(
        new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: p.deregister.map((ip) => described(ip, t.port, zoneOf.get(ip))) }));
      event("deregister", p.deregister, { port: t.port, misses: threshold });
      result.deregistered = p.deregister;
    }
    const { value, dropped } = formatMissTag(p.misses);
    if (value === "" && tag !== undefined) await deps.elb.send(new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: [MISSES_TAG] }));
    else if (value !== "" && value !== tag) await deps.elb.send(
      new AddTagsCommand({ ResourceArns: [arn], Tags: [{ Key: MISSES_TAG, Value: value }] }));
    if (p.misses.size > 0) event("miss", [...p.misses.keys()].sort(byIp), { misses: Object.fromEntries(p.misses), of: threshold });
    if (dropped.length > 0) event("misses-truncated", dropped, { reason: `tag value over ${TAG_MAX} characters: lowest counts dropped` });
    result.misses = Object.fromEntries(parseMissTag(value));
  } catch (e: any) {
    result.error = `${e?.name ?? "Error"}: ${e?.message ?? e}`;
    event("error", [], { error: result.error });
  }
  return result;
}

// ---- the runs and the handler ----

/** Bare JSON on stdout: the runtime prefixes console.log lines, which JSON metric filters cannot parse. */
const stdoutLog: Log = (e) => { process.stdout.write(`${JSON.stringify(e)}\n`); };

/** Syncs `targets` (all of them on a schedule, those an event concerns on an event) and logs the summary. */
async function syncAll(targets: SyncTarget[], config: SyncConfig, deps: SyncDeps, log: Log, trigger?: SyncResult["event"]):
  Promise<SyncResult> {
  const results = await Promise.all(targets.map((t) => syncTarget(t, config.misses, deps, log)));
  const count = (f: (r: TargetResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const errors = count((r) => (r.error ? 1 : 0));
  log({
    event: "summary", targets: results.length, registered: count((r) => r.registered.length), deregistered:
      count((r) => r.deregistered.length),
    misses: count((r) => Object.keys(r.misses).length), skipped: count((r) => (r.skipped ? 1 : 0)), errors,
    ...(trigger ? { trigger: `rds:${trigger.source}` } : {}),
  });
  return { ok: errors === 0, errors, targets: results, ...(trigger ? { event: trigger } : {}) };
}

/** A scheduled run: every target. */
export async function sync(config: SyncConfig, deps: SyncDeps): Promise<SyncResult> {
  return syncAll(config.targets, config, deps, deps.log ?? stdoutLog);
}

/**
 * An event run: the targets the event concerns, each re-resolved every 2 s until its answer is
 * good and differs from what is registered (DNS follows a failover by seconds) or 60 s pass, then
 * synced as on a schedule.
 */
export async function syncOnEvent(event: RdsEvent, config: SyncConfig, deps: SyncDeps): Promise<SyncResult> {
  const log = deps.log ?? stdoutLog;
  const { targets, matched } = concernedTargets(config.targets, event);
  log({ event: "rds-event", source: event.source, eventId: event.eventId ?? null, account: event.account ?? null, matched, targets:
      targets.map((t) => t.name) });
  await Promise.all(targets.map(async (t) => {
    const registered = await registeredTargets(t, deps).catch(() => undefined);
    if (registered === undefined) return; // the sync below reports the error
    const polled = await pollUntil(async () => {
      const answer = await lookup(t.host, deps.resolve4);
      return !answer.skip && (answer.ips.length !== registered.size || answer.ips.some((ip) => !registered.has(ip)));
    }, deps.clock ?? realClock);
    log({ event: polled.changed ? "dns-changed" : "dns-unchanged", target: t.name, waitedMs: polled.waitedMs });
  }));
  return syncAll(targets, config, deps, log, { source: event.source, eventId: event.eventId, matched });
}

const defaultDeps = (config: SyncConfig): SyncDeps =>
  ({ elb: new ElasticLoadBalancingV2Client({}), resolve4: dnsResolve4(config.dnsServers) });

/**
 * A handler reading `env` on its first invocation (and again after a config error). Its runs
 * take turns: an invocation that arrives during a run starts when that run ends.
 */
export function createHandler(env: Record<string, string | undefined> = process.env, makeDeps = defaultDeps): (input?: unknown) =>
  Promise<SyncResult> {
  let ready: { config: SyncConfig; deps: SyncDeps } | undefined;
  let turn: Promise<unknown> = Promise.resolve();
  const run = async (input: unknown) => {
    if (!ready) { const config = loadConfig(env); ready = { config, deps: makeDeps(config) }; }
    const event = parseRdsEvent(input);
    return event ? syncOnEvent(event, ready.config, ready.deps) : sync(ready.config, ready.deps);
  };
  return async (input?: unknown) => {
    const mine = turn.then(() => run(input));
    turn = mine.catch(() => undefined);
    return mine;
  };
}

export const handler = createHandler();
