// One verdict per route for `status`, from what was read live (live.ts) and from the state: the
// first thing that stops a notebook from reaching the database, in the order a connection meets
// them (applied, NCC rule, endpoint connection, DNS answer, registered targets, their health),
// each as one line "what is wrong: the fix". Pure: no I/O, so every verdict has its own test.
import { EndpointConnection, NccRule, ProbeError, TargetHealth } from "./live";
import { Route } from "./route-table";

/** What a question returned: its answer, or the error that concerns this route. */
export type Answer<T> = T | ProbeError;

/** Everything known about one route when its verdict is made. */
export interface RouteFacts {
  readonly route: Route;
  /** A resource of the route that the state does not hold (`aws_lb_target_group.X["orders"]`). */
  readonly notApplied?: string;
  /** The CIDR blocks the database must admit (the router's subnets), from the state. */
  readonly cidrs: string[];
  /** The DNS answer now, for a `host` target. */
  readonly dns?: Answer<string[]>;
  readonly targets?: Answer<TargetHealth[]>;
  /** The endpoint service's id (vpce-svc-...) and its connections. */
  readonly serviceId?: string;
  readonly connections?: Answer<EndpointConnection[]>;
  /** The route's NCC rule: its address, ids from the state, what the account says now. */
  readonly rule?: RuleFacts;
}

export interface RuleFacts {
  readonly address: string;
  readonly ruleId?: string;
  readonly nccId?: string;
  /** The rule now; "gone" when the NCC no longer lists it; a string when it could not be asked (why). */
  readonly live?: Answer<NccRule | "gone">;
  /** Why the rule was not asked (its stack's state is not given). */
  readonly unknown?: string;
}

/** A route's verdict: healthy, or every problem found (the first is the one to fix first). */
export interface Verdict {
  readonly healthy: boolean;
  /** The one line shown: "healthy: ..." or the first problem and its fix. */
  readonly line: string;
  readonly problems: string[];
  /** The DNS answer, registered addresses and their health, for --format json. */
  readonly details: {
    readonly dnsAnswer?: string[];
    readonly registered?: Array<{ ip: string; port: number; state: string; reason?: string }>;
    readonly connection?: string;
    readonly ruleState?: string;
  };
}

const REGISTERED = (t: TargetHealth) => t.state !== "draining" && t.state !== "unhealthy.draining";

/** The verdict on one route. */
export function verdictOf(f: RouteFacts): Verdict {
  const problems: string[] = [];
  const details: { -readonly [K in keyof Verdict["details"]]: Verdict["details"][K] } = {};
  if (f.notApplied) {
    problems.push(`not applied: the state has no ${f.notApplied}: run terraform apply`);
    return { healthy: false, line: problems[0], problems, details };
  }
  const rule = f.rule;
  const liveRule = rule?.live instanceof ProbeError || rule?.live === "gone" ? undefined : rule?.live;
  const connections = f.connections instanceof ProbeError ? undefined : f.connections;
  const endpointId = liveRule?.vpcEndpointId;
  const connection = endpointId ? connections?.find((c) => c.vpcEndpointId === endpointId) : undefined;
  if (liveRule?.connectionState) details.ruleState = liveRule.connectionState;
  if (connection) details.connection = `${connection.vpcEndpointId} ${connection.state}`;

  if (rule) problems.push(...ruleProblems(rule, liveRule, connection, f.serviceId));
  if (f.connections instanceof ProbeError) problems.push(`cannot read the endpoint connections: ${f.connections.message}: re-run`);
  else if (connections && !rule) problems.push(...serviceProblems(connections, f.serviceId));

  const targetPort = Number(f.route.targetPort);
  const targets = f.targets instanceof ProbeError ? undefined : (f.targets ?? [])
    .filter((t) => t.port === targetPort || Number.isNaN(targetPort));
  if (targets) details.registered =
    targets.map((t) => ({ ip: t.ip, port: t.port, state: t.state, ...(t.reason ? { reason: t.reason } : {}) }));
  let answer: string[] | undefined;
  if (f.dns instanceof ProbeError) {
    problems.push(
      `${f.dns.message} from here: pass --dns-server <ip> (the VPC's Route 53 Resolver inbound endpoint) to ask the VPC's resolver`);
  } else if (f.dns) {
    answer = f.dns;
    details.dnsAnswer = answer;
  }
  if (f.targets instanceof ProbeError) {
    problems.push(f.targets.code.startsWith("TargetGroupNotFound")
      ? `target group not found (deleted outside Terraform, or the state is stale): run terraform apply`
      : `cannot read the target health: ${f.targets.message}: re-run`);
  } else if (targets) {
    problems.push(...targetProblems(f, targets, answer));
  }
  if (problems.length > 0) return { healthy: false, line: problems[0], problems, details };
  const healthy = targets?.filter((t) => t.state === "healthy").length ?? 0;
  const parts = [`${healthy} of ${targets?.filter(REGISTERED).length ?? 0} targets healthy`];
  if (liveRule) parts.push(`rule ${liveRule.connectionState}`);
  if (connection) parts.push(`connection ${connection.state}`);
  return { healthy: true, line: `healthy: ${parts.join(", ")}`, problems, details };
}

function ruleProblems(rule: RuleFacts, live: NccRule | undefined, connection: EndpointConnection | undefined, serviceId?: string):
  string[] {
  const replace = `terraform apply -replace='${rule.address}'`;
  if (rule.unknown) return [`NCC rule not checked: ${rule.unknown}`];
  if (rule.live instanceof ProbeError) return [
    `cannot read the NCC rule: ${rule.live.message}: check the account id (--account-id) and re-run`];
  if (rule.live === "gone") return [
    `rule ${rule.ruleId} is not in NCC ${rule.nccId} (deleted outside Terraform): run terraform apply to re-create it`];
  if (!live) return [];
  const state = live.connectionState ?? "(no state)";
  const service = serviceId ?? "the endpoint service";
  if (live.deactivated) return [`rule ${state} but deactivated (deleted in the account): run terraform apply to re-create it`];
  switch (state) {
    case "CREATE_FAILED":
      return [`rule CREATE_FAILED (${live.errorMessage ?? "no message"}): fix the cause, then ${replace}`];
    case "REJECTED":
      return [`connection rejected: ${service} rejected endpoint ${live.vpcEndpointId ?? "(unknown)"}, which cannot be accepted again: `
        + `check that the service allows the Databricks principal, then ${replace}`];
    case "EXPIRED":
      return [`connection expired (not accepted within 14 days): ${replace} makes a new endpoint, and the same apply accepts it`];
    case "DISCONNECTED":
      return [`rule DISCONNECTED: ${service} removed endpoint ${live.vpcEndpointId ?? "(unknown)"} after accepting it: ${replace}`];
    case "ESTABLISHED":
      return connection && connection.state !== "available" ? [connectionProblem(connection, service, replace)] : [];
    default:
      break;
  }
  if (!live.vpcEndpointId) return [`rule has no endpoint yet (${state}): wait and re-run`];
  if (!connection) return [
    `rule ${state}, but ${service} has no connection from endpoint ${live.vpcEndpointId}: wait and re-run; if it stays, ${replace}`];
  if (connection.state === "pendingAcceptance") return [`rule ${state}, connection pendingAcceptance: run terraform apply to accept`];
  if (connection.state === "available" || connection.state === "pending") {
    return [`rule ${state}, connection ${connection.state}: Databricks has not seen the acceptance yet: wait a few minutes and re-run`];
  }
  return [connectionProblem(connection, service, replace)];
}

function connectionProblem(c: EndpointConnection, service: string, replace: string): string {
  switch (c.state) {
    case "pendingAcceptance": return `connection pendingAcceptance: run terraform apply to accept`;
    case "rejected":
      return `connection rejected: ${service} rejected endpoint ${c.vpcEndpointId}, which cannot be accepted again: ${replace}`;
    case "expired": return `connection expired (not accepted within 14 days): ${replace}`;
    default: return `connection ${c.state}: endpoint ${c.vpcEndpointId} on ${service} is not usable: ${replace}`;
  }
}

/** A router whose NCC is not in these stacks: the service must have an available connection, and none waiting. */
function serviceProblems(connections: EndpointConnection[], serviceId?: string): string[] {
  const pending = connections.find((c) => c.state === "pendingAcceptance");
  if (pending) return [`connection pendingAcceptance from ${pending.vpcEndpointId}${pending.owner ? ` (` +
    `account ${pending.owner})` : ""}: accept it (the NCC's terraform apply does)`];
  if (connections.some((c) => c.state === "available")) return [];
  const seen = connections.map((c) => `${c.vpcEndpointId} ${c.state}`).join(", ");
  return [`no available connection to ${serviceId ?? "the endpoint service"} (${seen || "none"}): create the NCC rule for it (` +
    `DatabricksNcc) and apply`];
}

function targetProblems(f: RouteFacts, targets: TargetHealth[], answer: string[] | undefined): string[] {
  const registered = targets.filter(REGISTERED);
  const problems: string[] = [];
  const missing = (answer ?? []).filter((ip) => !registered.some((t) => t.ip === ip));
  if (missing.length > 0) {
    problems.push(
      `DNS answer ${missing.join(", ")} is not registered (failover since the last apply): run terraform apply, or enable ipSync`);
  }
  if (registered.length === 0) {
    if (missing.length === 0) problems.push(`no targets registered on port ${f.route.targetPort}: run terraform apply`);
    return problems;
  }
  // The targets traffic goes to: those in the DNS answer (stale ones drain away), or all of them.
  const live = answer ? registered.filter((t) => answer.includes(t.ip)) : registered;
  const bad = live.find((t) => t.state !== "healthy");
  if (bad) problems.push(targetProblem(f, bad));
  return problems;
}

function targetProblem(f: RouteFacts, t: TargetHealth): string {
  const from = f.cidrs.length > 0 ? f.cidrs.join(", ") : `the router's subnets (${f.route.admitFrom.join(", ")})`;
  const reason = t.reason ?? "no reason given";
  switch (t.reason) {
    case "Target.Timeout":
      return `target unhealthy (Target.Timeout): the database's security group must admit ${f.route.admit.join(", ")} from ${from}`;
    case "Target.FailedHealthChecks":
      return `target unhealthy (Target.FailedHealthChecks): ${t.ip} refuses the health check: is the database up and listening ` +
        `on ${f.route.admit.join(", ")}?`;
    case "Elb.RegistrationInProgress":
    case "Elb.InitialHealthChecking":
      return `target ${t.state} (${reason}): health checks have just started: wait a minute and re-run`;
    case "Target.NotInUse":
      return `target unused (Target.NotInUse): ${t.ip}'s Availability Zone has no subnet of the load balancer, or no listener forwards ` +
        `to the group: run terraform apply`;
    case "Target.IpUnusable":
      return `target unusable (Target.IpUnusable): ${t.ip} cannot be a target (the load balancer's own address, or not routable from ` +
        `its VPC): check the DNS answer`;
    default:
      return `target ${t.state} (${reason})${t.description ? `: ${t.description}` : ""}: see the target group's Targets tab`;
  }
}
