// The routes of synthesized stacks, read from cdk.tf.json alone: per router target, the database,
// what notebooks connect to, the shard's load balancer and endpoint service, the NCC rule that
// carries it and what the database must admit. The per-target data is the router's `targets`
// local, read through the schema src/router/target-map.ts owns; the rest is found through references.
import { constructPathOf, logicalIdOf, logicalIdParent, logicalIdPrefix, readsStack, remoteStateReference } from "../core/cdktf-output";
import { SHARD, ShardEntry, TARGET, TargetEntry } from "../router/target-map";
import { SynthesizedStack } from "./synthesized";
import { isExpression, referencedAddress, shown, unescapeLiteral } from "./values";

/** One route: a database behind a router, as synthesized. Unresolved values read "(from ... at apply)". */
export interface Route {
  readonly stack: string;
  /** The router's construct path within its stack (`Router`). */
  readonly router: string;
  readonly name: string;
  readonly host?: string;
  readonly ips?: string[];
  /** The host, or the IPs joined with commas. */
  readonly database: string;
  readonly targetPort: number | string;
  readonly listenerPort: number | string;
  readonly shard: number | string;
  readonly protocol: string;
  /** The name notebooks connect to: the NCC's connection, else `host`; none for a bare `ips` target. */
  readonly domainName?: string;
  /** `<domainName>:<listenerPort>`, or `:<listenerPort>` on the load balancer when there is no name. */
  readonly address: string;
  /** The shard's load balancer: its AWS name and Terraform address. */
  readonly loadBalancer: { readonly name: string; readonly address: string };
  /** The shard's endpoint service: its Terraform address (its service name is known at apply). */
  readonly endpointService?: { readonly address: string; readonly path: string };
  /** The target group's Terraform address (instance key = the target's name). */
  readonly targetGroup: string;
  /** The NCC rule that carries the shard: its stack, Terraform address and domain names. */
  readonly rule?: RouteRule;
  /** What the database's security group must admit (`tcp/5432`), from the router's subnets. */
  readonly admit: string[];
  /** The router's subnets (whose CIDR blocks the database admits). */
  readonly admitFrom: string[];
  /** The fields whose value is a Terraform expression, unknown until apply. */
  readonly unresolved: string[];
}

/** The NCC private endpoint rule of a route's shard, and its NCC. */
export interface RouteRule {
  readonly stack: string;
  readonly address: string;
  readonly path: string;
  readonly domainNames: string[];
  /** The NCC's construct path; its name and workspaces when the stack says them. */
  readonly ncc: string;
  readonly nccName?: string;
  readonly workspaces: string[];
}

/** An entry of a `locals` map as synthesized: a field holds its value or, for a token, an expression. */
type Synthesized<T> = { readonly [K in keyof T]: any };

/** Every route of the stacks, by stack, router and listener port. */
export function routesOf(stacks: SynthesizedStack[]): Route[] {
  const rules = stacks.flatMap((s) => rulesOf(s, stacks));
  return stacks.flatMap((s) => routesOfStack(s, rules));
}

interface RuleRef extends RouteRule {
  /** The endpoint service it points at: `<stack>/<address>`. */
  readonly service?: string;
  /** The NCC's connections output. */
  readonly connections: any[];
}

function routesOfStack(stack: SynthesizedStack, rules: RuleRef[]): Route[] {
  const locals = stack.config.locals ?? {};
  const routes: Route[] = [];
  for (const [key, targets] of Object.entries<any>(locals)) {
    const m = logicalIdOf(/(.+)/, "targets").exec(key);
    if (!m || !isTargetMap(targets)) continue;
    const prefix = m[1];
    const local = (kind: string) => Object.entries<any>(locals).find(([k]) => logicalIdOf(prefix, kind).test(k))?.[1];
    const ipLists = local("literal_ips") ?? {};
    const settings = local("settings") ?? {};
    const shards: { [index: string]: Synthesized<ShardEntry> } = local("shards") ?? {};
    const router = routerPath(stack, prefix);
    const subnets = Array.isArray(settings.subnet_ids) ? settings.subnet_ids.map(shown) : [shown(settings.subnet_ids)];
    const targetGroup = findResource(stack, "aws_lb_target_group", `${prefix}_TargetGroup_`) ?? `aws_lb_target_group.${prefix}_TargetGroup`;
    for (const [name, t] of Object.entries<Synthesized<TargetEntry>>(targets)) {
      const unresolved = Object.entries<any>(t).filter(([, v]) => isExpression(v)).map(([k]) => k);
      const host = t[TARGET.host] === null ? undefined : shown(t[TARGET.host]);
      const ips = ipLists[name] ? (ipLists[name] as unknown[]).map(shown) : undefined;
      const shard = t[TARGET.shard];
      const shardKey = String(shard);
      const lbAddress =
        referencedAddress(shards[shardKey]?.[SHARD.load_balancer_arn], "aws_lb") ?? `(shard ${shardKey} load balancer)`;
      const lb = resourceAt(stack, lbAddress);
      const service = serviceOf(stack, lbAddress);
      const rule = service ? rules.find((r) => r.service === `${stack.name}/${service.address}`) : undefined;
      const domainName = domainNameOf(name, shard, host, rule);
      const listenerPort = isExpression(t[TARGET.listener_port]) ? shown(t[TARGET.listener_port]) : t[TARGET.listener_port];
      const egress = t[TARGET.egress];
      routes.push({
        stack: stack.name,
        router,
        name: unescapeLiteral(name),
        ...(host !== undefined ? { host } : {}),
        ...(ips !== undefined ? { ips } : {}),
        database: host ?? (ips ?? []).join(","),
        targetPort: isExpression(t[TARGET.port]) ? shown(t[TARGET.port]) : t[TARGET.port],
        listenerPort,
        shard: isExpression(shard) ? shown(shard) : shard,
        protocol: shown(t[TARGET.protocol]),
        ...(domainName !== undefined ? { domainName } : {}),
        address: `${domainName ?? ""}:${listenerPort}`,
        loadBalancer: { name: lb ? shown(lb.name) : "", address: lbAddress },
        ...(service ? { endpointService: service } : {}),
        targetGroup,
        ...(rule ? { rule: ruleOf(rule) } : {}),
        admit: typeof egress === "string" ? egress.split(",").map((e) => shown(e.replace(":", "/"))) : [shown(egress)],
        admitFrom: subnets,
        unresolved,
      });
    }
  }
  return routes.sort((a, b) => cmp(a.stack, b.stack) || cmp(a.router, b.router) || cmpPorts(a.listenerPort, b.listenerPort) ||
    cmp(a.name, b.name));
}

/** A router's `targets` local: an object of entries that have a listener port and a shard. */
function isTargetMap(value: any): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    && Object.values<any>(value).every((e) => e !== null && typeof e === "object" && TARGET.listener_port in e && TARGET.shard in e);
}

/** What a notebook connects to: the NCC's connection for the target, else its host when the rule has it. */
function domainNameOf(name: string, shard: unknown, host: string | undefined, rule: RuleRef | undefined): string | undefined {
  if (!rule) return host;
  const inRule = (d: string) => rule.domainNames.some((x) => x.toLowerCase() === d.toLowerCase());
  const connection =
    rule.connections.find((c) => c?.name === name && c?.shard === shard && typeof c.domainName === "string" && inRule(shown(c.domainName)));
  if (connection) return shown(connection.domainName);
  if (host !== undefined && inRule(host)) return host;
  return rule.domainNames.find((d) => d !== host) ?? rule.domainNames[0];
}

/** The router's construct path, from its listener's metadata (`<stack>/<router>/Listener`). */
function routerPath(stack: SynthesizedStack, prefix: string): string {
  const listeners = stack.config.resource?.aws_lb_listener ?? {};
  const key = Object.keys(listeners).find((k) => logicalIdOf(prefix, "Listener").test(k));
  const p = key ? constructPathOf(listeners[key]) : undefined;
  return p ? p.split("/").slice(0, -1).join("/") : prefix;
}

function findResource(stack: SynthesizedStack, type: string, keyPrefix: string): string | undefined {
  const key = Object.keys(stack.config.resource?.[type] ?? {}).find((k) => k.startsWith(keyPrefix));
  return key ? `${type}.${key}` : undefined;
}

function resourceAt(stack: SynthesizedStack, address: string): any {
  const [type, name] = address.split(".");
  return stack.config.resource?.[type]?.[name];
}

/** The endpoint service in front of a load balancer. */
function serviceOf(stack: SynthesizedStack, lbAddress: string): { address: string; path: string } | undefined {
  const services = stack.config.resource?.aws_vpc_endpoint_service ?? {};
  for (const [key, s] of Object.entries<any>(services)) {
    const arns: unknown[] = Array.isArray(s.network_load_balancer_arns) ? s.network_load_balancer_arns : [];
    if (arns.some((a) => referencedAddress(a, "aws_lb") === lbAddress)) {
      return { address: `aws_vpc_endpoint_service.${key}`, path: metadataPath(s, key) };
    }
  }
  return undefined;
}

function ruleOf(r: RuleRef): RouteRule {
  const { stack, address, path, domainNames, ncc, nccName, workspaces } = r;
  return { stack, address, path, domainNames, ncc, ...(nccName !== undefined ? { nccName } : {}), workspaces };
}

/** The NCC rules of a stack, each with the endpoint service it points at (through another stack's output too). */
function rulesOf(stack: SynthesizedStack, all: SynthesizedStack[]): RuleRef[] {
  const rules = stack.config.resource?.databricks_mws_ncc_private_endpoint_rule ?? {};
  const outputs = stack.config.output ?? {};
  return Object.entries<any>(rules).map(([key, r]) => {
    const path = metadataPath(r, key);
    // Without cdktf's metadata (Testing.synth), the NCC's prefix is the key's: <ncc>_<router>Shard<n>_<hash>.
    const ncc = path.includes("/") ? path.split("/").slice(0, -1).join("/") : logicalIdParent(key, /[^_]*Shard\d+/) ?? key;
    const prefix = logicalIdPrefix(ncc);
    const locals = stack.config.locals ?? {};
    const settings = Object.entries<any>(locals).find(([k]) => logicalIdOf(prefix, "settings").test(k))?.[1] ?? {};
    const ids = (m: unknown) =>
      (m && typeof m === "object" ? Object.values<unknown>(m as { [k: string]: unknown }).map(shown) : m ? [shown(m)] : []);
    const connections = Object.entries<any>(outputs)
      .find(([k, o]) => logicalIdOf(prefix, "connections").test(k) && Array.isArray(o?.value))?.[1]?.value ?? [];
    return {
      stack: stack.name,
      address: `databricks_mws_ncc_private_endpoint_rule.${key}`,
      path,
      ncc,
      ...(settings.name ? { nccName: shown(settings.name) } : settings.id ? { nccName: shown(settings.id) } : {}),
      workspaces: [...ids(settings.workspace_ids), ...ids(settings.workspace_id_strings)],
      domainNames: Array.isArray(r.domain_names) ? r.domain_names.map(shown) : [shown(r.domain_names)],
      service: serviceOfRule(stack, r.endpoint_service, all),
      connections,
    };
  });
}

/** `<stack>/<address>` of the endpoint service a rule's `endpoint_service` names, in its stack or through a remote state. */
function serviceOfRule(stack: SynthesizedStack, value: unknown, all: SynthesizedStack[]): string | undefined {
  const local = referencedAddress(value, "aws_vpc_endpoint_service");
  if (local) return `${stack.name}/${local}`;
  const reference = remoteStateReference(value);
  if (!reference) return undefined;
  const { remote, output } = reference;
  const config = stack.config.data?.terraform_remote_state?.[remote];
  for (const other of all) {
    if (other === stack || !readsStack(remote, config, other.name)) continue;
    const address = referencedAddress(other.config.output?.[output]?.value, "aws_vpc_endpoint_service");
    if (address) return `${other.name}/${address}`;
  }
  return undefined;
}

/** A resource's construct path within its stack, from cdktf's metadata (its key without it: Testing.synth). */
const metadataPath = (resource: any, key: string): string => constructPathOf(resource) ?? key;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const cmpPorts = (a: number | string, b: number | string) =>
  (typeof a === "number" && typeof b === "number" ? a - b : cmp(String(a), String(b)));
