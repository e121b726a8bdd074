// `routes --format mermaid`: the topology as a Mermaid flowchart, left to right: workspaces, the
// NCC, its rules, and per shard (a subgraph, so 120 databases stay readable) the endpoint
// service, the load balancer and, on edges labelled with the listener port, the databases.
import { Route, RouteRule } from "./route-table";

/** A Mermaid flowchart of the routes. */
export function routeMermaid(routes: Route[]): string {
  const ids = new Map<string, string>();
  const id = (kind: string, key: string) => {
    const k = `${kind}:${key}`;
    if (!ids.has(k)) ids.set(k, `${kind}${ids.size + 1}`);
    return ids.get(k)!;
  };
  const lines = ["flowchart LR"];
  if (routes.length === 0) {
    lines.push(`  empty["${label("no routes: the stacks hold no PrivateLinkRouter targets")}"]`);
    return lines.join("\n") + "\n";
  }
  // The Databricks side: each NCC once, its workspaces, its rules.
  const nccs = new Map<string, RouteRule>();
  const rules = new Map<string, RouteRule>();
  for (const r of routes) {
    if (!r.rule) continue;
    nccs.set(`${r.rule.stack}/${r.rule.ncc}`, r.rule);
    rules.set(`${r.rule.stack}/${r.rule.address}`, r.rule);
  }
  for (const [key, rule] of nccs) {
    const ncc = id("ncc", key);
    lines.push(`  ${ncc}{{"${label(`NCC ${rule.nccName ?? rule.ncc}`)}"}}`);
    if (rule.workspaces.length > 0 && rule.workspaces.length <= 5) {
      for (const ws of rule.workspaces) lines.push(`  ${id("ws", `${key}/${ws}`)}(["${label(`workspace ${ws}`)}"]) --> ${ncc}`);
    } else if (rule.workspaces.length > 5) {
      lines.push(`  ${id("ws", key)}(["${label(`${rule.workspaces.length} workspaces`)}"]) --> ${ncc}`);
    }
  }
  for (const [key, rule] of rules) {
    const names = rule.domainNames.length === 1 ? rule.domainNames[0] : `${rule.domainNames.length} domain names`;
    lines.push(`  ${id("ncc", `${rule.stack}/${rule.ncc}`)} --> ${id("rule", key)}["${label(`rule ${rule.path}<br/>${names}`)}"]`);
  }
  // The AWS side: one subgraph per shard.
  const shards = new Map<string, Route[]>();
  for (const r of routes) {
    const key = `${r.stack}/${r.loadBalancer.address}`;
    shards.set(key, [...(shards.get(key) ?? []), r]);
  }
  for (const [key, shardRoutes] of shards) {
    const first = shardRoutes[0];
    const lb = id("lb", key);
    lines.push(`  subgraph ${id("shard", key)}["${label(`${first.stack}/${first.router} shard ${first.shard}`)}"]`);
    const service = first.endpointService ? id("svc", `${first.stack}/${first.endpointService.address}`) : undefined;
    if (service) lines.push(`    ${service}["${label("endpoint service")}"] --> ${lb}`);
    lines.push(`    ${lb}["${label(`NLB ${first.loadBalancer.name || first.loadBalancer.address}`)}"]`);
    for (const r of shardRoutes) {
      lines.push(`    ${lb} -- "${label(`:${r.listenerPort}`)}" ` +
        `--> ${id("db", `${r.stack}/${r.router}/${r.name}`)}[("${label(`${r.name}<br/>${r.database}:${r.targetPort}`)}")]`);
    }
    lines.push("  end");
    if (first.rule && service) lines.push(`  ${id("rule", `${first.rule.stack}/${first.rule.address}`)} -- PrivateLink --> ${service}`);
  }
  return lines.join("\n") + "\n";
}

/** Text for a quoted Mermaid label: quotes and angle brackets as entities (`<br/>` kept). */
function label(text: string): string {
  return text.split("<br/>").map((part) => part.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;"))
    .join("<br/>");
}
