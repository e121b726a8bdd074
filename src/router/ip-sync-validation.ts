// Checks a router's `ipSync` props before anything is made (ValidationError naming the property,
// the bad value and the fix). Separate from ip-sync.ts, which loads a dozen provider classes.
import { Construct } from "constructs";
import { ValidationError } from "../core/errors";
import { isToken, parseIpv4, show, validateCidr, validatePattern, validateRange } from "../core/validate";
import { IpSyncOptions } from "./types";

/** At most this many accounts in the event bus policy (its size limit is 10 KB). */
export const MAX_EVENT_SOURCE_ACCOUNTS = 100;

/** Checks `ipSync` before anything is made; throws ValidationError. */
export function validateIpSync(scope: Construct, options: IpSyncOptions, egressCidrs: string[] | undefined): void {
  if (egressCidrs === undefined) {
    throw new ValidationError("`ipSync` needs `egressCidrs`: per-IP egress rules are written at plan time and cannot follow the IPs the " +
      "function registers; set `egressCidrs` to the databases' networks", scope);
  }
  const schedule = options.schedule;
  if (schedule !== undefined && !isToken(schedule) &&
    !/^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/.test(schedule)) {
    throw new ValidationError(`\`ipSync.schedule\` must be an EventBridge schedule like "rate(1 minute)", "rate(5 minutes)" or "cron(` +
      `0/2 * * * ? *)" (got ${show(schedule)}); write rate(...) or cron(...)`, scope);
  }
  validateRange(scope, "ipSync.deregisterAfterMisses", options.deregisterAfterMisses, 1, 100);
  validateEventSources(scope, options.syncOnDatabaseEvents, options.eventSourceAccounts);
  if (options.subnetIds !== undefined && !isToken(options.subnetIds)) {
    if (options.subnetIds.length === 0) {
      throw new ValidationError("`ipSync.subnetIds` is empty; leave it unset to use the router's subnets, or list private subnets", scope);
    }
    options.subnetIds.forEach((s, i) =>
      validatePattern(scope, `ipSync.subnetIds[${i}]`, s, /^subnet-[0-9a-f]{8,17}$/, "a subnet id like subnet-0123456789abcdef0"));
  }
  if (options.dnsServers !== undefined && !isToken(options.dnsServers)) {
    if (options.dnsServers.length > 3) {
      throw new ValidationError(`\`ipSync.dnsServers\` lists ${options.dnsServers.length} servers; give at most 3`, scope);
    }
    options.dnsServers.forEach((server, i) => {
      const [ip, port, ...rest] = String(server).split(":");
      if (isToken(server)) return;
      if (parseIpv4(ip) === undefined || rest.length > 0 || (port !== undefined && !(/^\d+$/.test(port) && +port >= 1 && +port <= 65535))) {
        throw new ValidationError(`\`ipSync.dnsServers[${i}]\` must be an IPv4 address, optionally with a port, like 10.0.0.2 or ` +
          `10.0.0.2:53 (got ${show(server)}); write the resolver's address`, scope);
      }
    });
  }
  if (options.createElbEndpoint === false) {
    if (options.apiEgressCidrs === undefined || (!isToken(options.apiEgressCidrs) && options.apiEgressCidrs.length === 0)) {
      throw new ValidationError("`ipSync.createElbEndpoint` is false but `ipSync.apiEgressCidrs` is not set; the function must reach " +
        "the ELB API on 443: list the CIDRs of your ELB endpoint's subnets (or of your NAT route), or create the endpoint", scope);
    }
    if (!isToken(options.apiEgressCidrs)) options.apiEgressCidrs.forEach((c, i) =>
      validateCidr(scope, `ipSync.apiEgressCidrs[${i}]`, c, false));
  } else if (options.apiEgressCidrs !== undefined) {
    throw new ValidationError("`ipSync.apiEgressCidrs` is only for `createElbEndpoint: false`; with the endpoint the library creates, " +
      "the function reaches the ELB API through it", scope);
  }
}

/** Checks `ipSync.syncOnDatabaseEvents` and `ipSync.eventSourceAccounts`; throws ValidationError. */
function validateEventSources(scope: Construct, syncOnDatabaseEvents: boolean | undefined, accounts: string[] | undefined): void {
  if (accounts === undefined) return;
  if (syncOnDatabaseEvents === false) {
    throw new ValidationError("`ipSync.eventSourceAccounts` is set but `ipSync.syncOnDatabaseEvents` is false; "
      + "remove the accounts, or let the function run on RDS events", scope);
  }
  if (isToken(accounts)) return;
  if (accounts.length === 0 || accounts.length > MAX_EVENT_SOURCE_ACCOUNTS) {
    throw new ValidationError(`\`ipSync.eventSourceAccounts\` lists ${accounts.length} accounts (got ${show(accounts)}); `
      + `give 1-${MAX_EVENT_SOURCE_ACCOUNTS} account ids, or leave it unset when every database is in this account`, scope);
  }
  accounts.forEach((a, i) =>
    validatePattern(scope, `ipSync.eventSourceAccounts[${i}]`, a, /^\d{12}$/, "a 12-digit AWS account id like 111122223333"));
  const literal = accounts.filter((a) => !isToken(a));
  const twice = literal.find((a, i) => literal.indexOf(a) !== i);
  if (twice !== undefined) {
    throw new ValidationError(`\`ipSync.eventSourceAccounts\` lists ${show(twice)} twice; list each account once`, scope);
  }
}
