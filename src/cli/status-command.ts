// `privatelink-router status`: per route of the synthesized stacks, the ids and ARNs from the
// Terraform state, the live answers (live.ts), and one verdict line (verdict.ts). Read-only.
// Exit code 0 when every route is healthy, 1 when any is not.
import { logicalIdOf, logicalIdPrefix } from "../core/cdktf-output";
import { Options } from "./args";
import { databricksAuth } from "./databricks-api";
import { UsageError } from "./errors";
import { Live, NccRule, ProbeError } from "./live";
import { regionOfArn } from "./live-clients";
import { table } from "./route-formats";
import { Route, routesOf } from "./route-table";
import { StateIndex, readStates } from "./state";
import { readStacks, SynthesizedStack } from "./synthesized";
import { Answer, RouteFacts, RuleFacts, Verdict, verdictOf } from "./verdict";

/** What `status` prints and its exit code. */
export interface StatusResult {
  readonly out: string;
  /** Notes for stderr: stacks whose state was not given. */
  readonly notes: string[];
  readonly code: number;
}

/** How many routes are asked about at once. */
const PARALLEL = 8;

export async function statusCommand(options: Options, cwd: string, env: NodeJS.ProcessEnv, clients: Live): Promise<StatusResult> {
  const stacks = readStacks(options.stacks, cwd);
  const state = readStates(options.states, cwd);
  const covered = stacks.filter((s) => addressesOf(s).some((a) => state.has(a)));
  if (covered.length === 0) {
    throw new UsageError(`no --state holds a resource of the stacks ${stacks.map((s) => s.name).join(", ")}: pass each stack's own ` +
      `state (terraform.<stack>.tfstate), after terraform apply`);
  }
  const notes = stacks.filter((s) => !covered.includes(s))
    .map((s) => `stack ${s.name}: no --state holds its resources; its routes are not checked`);
  const routes = routesOf(stacks).filter((r) => covered.some((s) => s.name === r.stack));
  const memo = new Map<string, Promise<any>>();
  const once = <T>(key: string, ask: () => Promise<T>): Promise<Answer<T>> => {
    if (!memo.has(key)) memo.set(key, ask().catch((e) => (e instanceof ProbeError ? e : Promise.reject(e))));
    return memo.get(key)!;
  };
  const facts: RouteFacts[] = [];
  for (let i = 0; i < routes.length; i += PARALLEL) {
    facts.push(
      ...await Promise.all(routes.slice(i, i + PARALLEL).map((r) => factsOf(r, stacks, covered, state, options, env, clients, once))));
  }
  const verdicts = facts.map((f) => ({ route: f.route, verdict: verdictOf(f) }));
  const code = verdicts.every((v) => v.verdict.healthy) ? 0 : 1;
  return { out: options.format === "json" ? statusJson(verdicts) : statusTable(verdicts), notes, code };
}

type Once = <T>(key: string, ask: () => Promise<T>) => Promise<Answer<T>>;

async function factsOf(
  route: Route, stacks: SynthesizedStack[], covered: SynthesizedStack[], state: StateIndex,
  options: Options, env: NodeJS.ProcessEnv, live: Live, once: Once,
): Promise<RouteFacts> {
  const stack = stacks.find((s) => s.name === route.stack)!;
  const group = state.instance(route.targetGroup, route.name);
  const cidrs = subnetCidrs(stack, route, state);
  if (!group?.arn) return { route, cidrs, notApplied: `${route.targetGroup}[${JSON.stringify(route.name)}]` };
  const service = route.endpointService ? state.instance(route.endpointService.address) : undefined;
  if (route.endpointService && !service?.id) return { route, cidrs, notApplied: route.endpointService.address };
  const serviceId: string | undefined = service?.id;
  const region = regionOfService(service?.service_name) ?? regionOfArn(group.arn) ?? "us-east-1";
  const [dns, targets, connections, rule] = await Promise.all([
    route.host !== undefined && !route.unresolved.includes("host") ? once(`dns ${route.host}`, () => live.resolve(route.host!)) : undefined,
    once(`targets ${group.arn}`, () => live.targetHealth(group.arn)),
    serviceId ? once(`connections ${serviceId}`, () => live.endpointConnections(serviceId, region)) : undefined,
    route.rule ? ruleFacts(route, stacks, covered, state, options, env, live, once) : undefined,
  ]);
  if (rule && "notApplied" in rule) return { route, cidrs, notApplied: rule.notApplied };
  return { route, cidrs, dns, targets, connections, serviceId, rule };
}

async function ruleFacts(
  route: Route, stacks: SynthesizedStack[], covered: SynthesizedStack[], state: StateIndex,
  options: Options, env: NodeJS.ProcessEnv, live: Live, once: Once,
): Promise<RuleFacts | { notApplied: string }> {
  const r = route.rule!;
  if (!covered.some((s) => s.name === r.stack)) return { address: r.address, unknown: `pass the state of stack ${r.stack} too (--state)` };
  const attrs = state.instance(r.address);
  if (!attrs?.rule_id || !attrs.network_connectivity_config_id) return { notApplied: r.address };
  const ruleId: string = attrs.rule_id;
  const nccId: string = attrs.network_connectivity_config_id;
  const ruleStack = stacks.find((s) => s.name === r.stack)!;
  const accountId = options.accountId ?? accountIdIn(attrs.account_id) ?? nccAccountId(ruleStack, state, nccId)
    ?? accountIdIn(provider(ruleStack)?.account_id) ?? (env.DATABRICKS_ACCOUNT_ID || undefined);
  if (!accountId) {
    throw new UsageError(`the Databricks account id of ${r.address} is unknown (not in the state or the stack): pass --account-id <id> ` +
      `or set DATABRICKS_ACCOUNT_ID`);
  }
  const auth = databricksAuth(env, literal(provider(ruleStack)?.host));
  const rules = await once(`rules ${accountId} ${nccId}`, () => live.nccRules(accountId, nccId, auth));
  const found: Answer<NccRule | "gone"> = rules instanceof ProbeError ? rules : rules.find((x) => x.ruleId === ruleId) ?? "gone";
  return { address: r.address, ruleId, nccId, live: found };
}

/** The resource addresses a synthesized stack declares. */
function addressesOf(stack: SynthesizedStack): string[] {
  const out: string[] = [];
  for (const [type, blocks] of Object.entries<any>(stack.config.resource ?? {})) for (const name of Object.keys(blocks)) out.push(
    `${type}.${name}`);
  return out;
}

/** The router's subnets' CIDR blocks, from its `aws_subnet` data source in the state. */
function subnetCidrs(stack: SynthesizedStack, route: Route, state: StateIndex): string[] {
  const subnet = logicalIdOf(logicalIdPrefix(route.router), "Subnet");
  const key = Object.keys(stack.config.data?.aws_subnet ?? {}).find((k) => subnet.test(k));
  return key ? state.instances(`data.aws_subnet.${key}`).map((s) => s.cidr_block).filter((c) => typeof c === "string") : [];
}

/** com.amazonaws.vpce.us-east-1.vpce-svc-0abc -> us-east-1. */
const regionOfService = (name: unknown): string | undefined => (typeof name === "string" ? name.split(".")[3] : undefined);

/** A Databricks account id (a UUID) in a state attribute or the stack's provider block. */
const accountIdIn = (v: unknown): string | undefined =>
  (typeof v === "string" && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(v) ? v : undefined);

const literal = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && !v.includes("${") ? v : undefined);

/** The account id the NCC's own resource holds in the state. */
function nccAccountId(stack: SynthesizedStack, state: StateIndex, nccId: string): string | undefined {
  for (const name of Object.keys(stack.config.resource?.databricks_mws_network_connectivity_config ?? {})) {
    const ncc = state.instance(`databricks_mws_network_connectivity_config.${name}`);
    if (ncc?.network_connectivity_config_id === nccId && accountIdIn(ncc.account_id)) return ncc.account_id;
  }
  return undefined;
}

function provider(stack: SynthesizedStack): any {
  const p = stack.config.provider?.databricks;
  return Array.isArray(p) ? p.find((x: any) => !x.alias) ?? p[0] : p;
}

interface Checked {
  readonly route: Route;
  readonly verdict: Verdict;
}

function statusTable(checked: Checked[]): string {
  if (checked.length === 0) return "no routes: the stacks hold no PrivateLinkRouter targets\n";
  const rows = checked.map(({ route, verdict }) => [
    verdict.healthy ? "ok" : "FAIL", `${route.stack}/${route.router}`, route.name, route.domainName ? route.address :
      `listener ${route.listenerPort}`, verdict.line,
  ]);
  const bad = checked.filter((c) => !c.verdict.healthy).length;
  return table(["status", "router", "target", "notebooks connect to", "verdict"], rows) +
    `${checked.length - bad} healthy, ${bad} not healthy\n`;
}

function statusJson(checked: Checked[]): string {
  const routes = checked.map(({ route, verdict }) => ({
    stack: route.stack, router: route.router, name: route.name, address: route.address, database: route.database,
    healthy: verdict.healthy, verdict: verdict.line, problems: verdict.problems, ...verdict.details,
  }));
  return JSON.stringify({ healthy: routes.every((r) => r.healthy), routes }, null, 2) + "\n";
}
