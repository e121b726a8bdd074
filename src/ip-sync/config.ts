// The IP sync handler's configuration: its environment variables (IP_SYNC_TARGETS, IP_SYNC_MISSES,
// IP_SYNC_DNS_SERVERS) read and validated, with an error naming the variable and the fix.
import { isIPv4 } from "node:net";

export interface SyncTarget { name: string; host: string; port: number; targetGroupArn: string; availabilityZone?: string }
export interface SyncConfig { targets: SyncTarget[]; misses: number; dnsServers?: string[] }

function fail(what: string, why: string): never { throw new Error(`ip-sync: ${what} ${why}`); }
const TARGET_KEYS = ["name", "host", "port", "targetGroupArn", "availabilityZone"];
const ARN = /^arn:[a-z-]+:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;
const AZ = /^(all|[a-z]{2}(-[a-z]+)+-\d[a-z])$/;

export function loadConfig(env: Record<string, string | undefined>): SyncConfig {
  return { targets: parseTargets(env.IP_SYNC_TARGETS), misses: parseMisses(env.IP_SYNC_MISSES), dnsServers:
    parseDnsServers(env.IP_SYNC_DNS_SERVERS) };
}

function parseMisses(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n :
    fail("IP_SYNC_MISSES", `must be a positive integer (default 1), got ${JSON.stringify(raw)}`);
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
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535) fail(`${where}.port`,
    `must be an integer from 1 to 65535, got ${JSON.stringify(t.port)}`);
  if (!ARN.test(t.targetGroupArn)) fail(`${where}.targetGroupArn`, `is not a target group ARN: ${t.targetGroupArn}`);
  const az = t.availabilityZone === undefined ? "all" : t.availabilityZone === null || t.availabilityZone === "auto" ? undefined :
    t.availabilityZone;
  if (az !== undefined && !(typeof az === "string" && AZ.test(az))) fail(`${where}.availabilityZone`,
    `must be "all", "auto", null or an AZ name, got ${JSON.stringify(az)}`);
  return { name: t.name, host: t.host, port: t.port, targetGroupArn: t.targetGroupArn, availabilityZone: az };
}
