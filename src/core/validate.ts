// Input checks: each validator throws ValidationError naming the prop, the bad value and the fix,
// and lets tokens through (Terraform and AWS check those). `isToken` (from cdktf-seam.ts) is
// exported with them, for the modules that check their inputs.
import { IConstruct } from "constructs";
import { isPrivateIpv4, parseIpv4, PRIVATE_RANGES } from "../ip-sync/private-ranges";
import { isToken } from "./cdktf-seam";
import { ValidationError } from "./errors";

export { isToken };

/** Renders a bad value for an error message. */
export function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}

/** Throws unless `value` is an integer in `min`..`max` (tokens and `undefined` pass). */
export function validateRange(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number, fix?: string): void {
  if (value === undefined || isToken(value)) return;
  if (typeof value === "string") {
    throw new ValidationError(
      `\`${prop}\` must be a number, not a string (got ${show(value)}); ` +
      `write ${/^\s*-?\d+\s*$/.test(value) ? (value as string).trim() : `a whole number from ${min} to ${max}`} without quotes`, scope);
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`\`${prop}\` must be a whole number from ${min} to ${max} (got ${show(value)}); ${fix ?? `use a value ` +
      `from ${min} to ${max}`}`, scope);
  }
}

/** Throws unless `value` is a port, 1-65535. */
export function validatePort(scope: IConstruct, prop: string, value: number | undefined): void {
  validateRange(scope, prop, value, 1, 65535, "use a TCP/UDP port from 1 to 65535");
}

/** Throws unless `value` is one of `allowed`. */
export function validateOneOf(scope: IConstruct, prop: string, value: string | undefined, allowed: readonly string[]): void {
  if (value === undefined || isToken(value)) return;
  if (!allowed.includes(value)) {
    throw new ValidationError(`\`${prop}\` must be one of ${allowed.join(", ")} (got ${show(value)}); use one of those values`, scope);
  }
}

export { isPrivateIpv4, parseIpv4, PRIVATE_RANGES };

function parseCidr(text: string): { base: number; bits: number } | undefined {
  if (typeof text !== "string") return undefined;
  const [ip, bits, ...rest] = text.split("/");
  const base = parseIpv4(ip);
  if (base === undefined || rest.length > 0 || !/^\d{1,2}$/.test(bits ?? "") || Number(bits) > 32) return undefined;
  return { base, bits: Number(bits) };
}

function inRange(ip: number, cidr: string): boolean {
  const { base, bits } = parseCidr(cidr)!;
  const size = 2 ** (32 - bits);
  return ip >= base && ip < base + size;
}

/** True when `ip` lies inside `cidr` (both literal and well formed). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const n = parseIpv4(ip);
  return n !== undefined && parseCidr(cidr) !== undefined && inRange(n, cidr);
}

/** Throws unless `ip` is a private IPv4 address (10/8, 172.16/12, 192.168/16, 100.64/10). */
export function validatePrivateIp(scope: IConstruct, prop: string, ip: string): void {
  if (isToken(ip)) return;
  if (typeof ip === "string" && /\/\d{1,2}$/.test(ip) && parseIpv4(ip.replace(/\/\d{1,2}$/, "")) !== undefined) {
    throw new ValidationError(
      `\`${prop}\` must be IPv4 addresses, not CIDR blocks (got ${show(ip)}); drop the prefix length: "${ip.replace(/\/\d{1,2}$/, "")}"`,
        scope);
  }
  if (parseIpv4(ip) === undefined) {
    throw new ValidationError(`\`${prop}\` must be an IPv4 address like 10.1.2.3 (got ${show(ip)}); use \`host\` for a DNS name`, scope);
  }
  if (!isPrivateIpv4(ip)) {
    throw new ValidationError(`\`${prop}\` must be a private IPv4 address in ${PRIVATE_RANGES.join(", ")} (got ${show(ip)}); an NLB ` +
      `refuses public IP targets: route the database's private address over Transit Gateway`, scope);
  }
}

/**
 * Throws unless `cidr` is an IPv4 CIDR block (`a.b.c.d/n`, host bits zero) of /1 or narrower:
 * `0.0.0.0/0` is never accepted. With `privateOnly`, the block must lie inside a private range.
 */
export function validateCidr(scope: IConstruct, prop: string, cidr: string, privateOnly: boolean): void {
  if (isToken(cidr)) return;
  const parsed = parseCidr(cidr);
  if (!parsed) {
    throw new ValidationError(
      `\`${prop}\` must be an IPv4 CIDR block like 10.20.0.0/16 (got ${show(cidr)}); write the address and the prefix length`, scope);
  }
  if (parsed.bits === 0) {
    throw new ValidationError(`\`${prop}\` must not be ${cidr}: the router never opens its security group to every address; list the ` +
      `networks that need access`, scope);
  }
  const size = 2 ** (32 - parsed.bits);
  if (parsed.base % size !== 0) {
    throw new ValidationError(`\`${prop}\` has host bits set (got ${show(cidr)}); write the network address of the block`, scope);
  }
  if (privateOnly && !PRIVATE_RANGES.some((r) => inRange(parsed.base, r) && inRange(parsed.base + size - 1, r))) {
    throw new ValidationError(`\`${prop}\` must lie inside a private range (${PRIVATE_RANGES.join(", ")}) (got ${show(cidr)}); NLB ` +
      `targets are private addresses, so egress only needs those`, scope);
  }
}

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Throws unless `host` is a DNS name (RFC 1123, at most 253 characters, not an IP address). */
export function validateHostname(scope: IConstruct, prop: string, host: string): void {
  if (isToken(host)) return;
  if (typeof host === "string" && parseIpv4(host) !== undefined) {
    throw new ValidationError(`\`${prop}\` is an IP address (got ${show(host)}); put literal addresses in \`ips\` instead`, scope);
  }
  const name = typeof host === "string" ? host.replace(/\.$/, "") : "";
  if (name.length === 0 || name.length > 253 || !name.split(".").every((l) => LABEL.test(l))) {
    throw new ValidationError(`\`${prop}\` must be a DNS name of at most 253 characters, labels of letters, digits and inner hyphens (` +
      `got ${show(host)}); use the database's endpoint name, e.g. orders.cluster-abc.us-east-1.rds.amazonaws.com`, scope);
  }
}

const PRINCIPAL = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

/** Throws unless `arn` is an IAM principal ARN (root, role or user); `*` is always refused. */
export function validatePrincipal(scope: IConstruct, prop: string, arn: string): void {
  if (isToken(arn)) return;
  if (arn === "*" || (typeof arn === "string" && arn.includes("*"))) {
    throw new ValidationError(`\`${prop}\` must not contain "*" (got ${show(arn)}): it lets every AWS account connect; list the IAM ` +
      `principals that may connect`, scope);
  }
  if (typeof arn !== "string" || !PRINCIPAL.test(arn)) {
    throw new ValidationError(`\`${prop}\` must be an IAM principal ARN like arn:aws:iam::123456789012:root or ` +
      `arn:aws:iam::123456789012:role/name (got ${show(arn)}); write the full ARN`, scope);
  }
}

/** Throws unless `value` is a non-empty string matching `pattern` (tokens pass). */
export function validatePattern(scope: IConstruct, prop: string, value: string | undefined, pattern: RegExp, what: string): void {
  if (value === undefined || isToken(value)) return;
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new ValidationError(`\`${prop}\` must be ${what} (got ${show(value)}); change it to match`, scope);
  }
}
