// `routes --against <other stack dir>`: what a change does to routes, the review question before
// an apply. Routes are matched by router and target name; a matched route whose listener port,
// shard or domain name differs is re-ported (notebooks' connection strings change).
import { Route } from "./route-table";
import { table } from "./route-formats";

/** One difference between the routes before (`--against`) and after (`--stack`). */
export interface RouteChange {
  readonly change: "added" | "removed" | "re-ported";
  readonly router: string;
  readonly name: string;
  readonly database: string;
  /** `<domain name>:<port>` before (none when added). */
  readonly before?: string;
  /** `<domain name>:<port>` after (none when removed). */
  readonly after?: string;
  /** What moved, for re-ported routes: `port 10001 -> 10007`, `shard 0 -> 1`, `domain name a -> b`. */
  readonly details: string[];
}

/** The changes from `before` to `after`, by router and name. */
export function diffRoutes(before: Route[], after: Route[]): RouteChange[] {
  const key = (r: Route) => `${r.router}\u0000${r.name}`;
  const old = new Map(before.map((r) => [key(r), r]));
  const now = new Map(after.map((r) => [key(r), r]));
  const changes: RouteChange[] = [];
  for (const r of after) {
    const b = old.get(key(r));
    if (!b) {
      changes.push({ change: "added", router: r.router, name: r.name, database: r.database, after: r.address, details: [] });
      continue;
    }
    const details = [
      ...(b.listenerPort !== r.listenerPort ? [`port ${b.listenerPort} -> ${r.listenerPort}`] : []),
      ...(b.shard !== r.shard ? [`shard ${b.shard} -> ${r.shard}`] : []),
      ...(b.domainName !== r.domainName ? [`domain name ${b.domainName ?? "(none)"} -> ${r.domainName ?? "(none)"}`] : []),
    ];
    if (details.length > 0) changes.push(
      { change: "re-ported", router: r.router, name: r.name, database: r.database, before: b.address, after: r.address, details });
  }
  for (const b of before) {
    if (!now.has(key(b))) changes.push(
      { change: "removed", router: b.router, name: b.name, database: b.database, before: b.address, details: [] });
  }
  return changes;
}

const HEADER = ["change", "router", "target", "database", "before", "after", "what moved"];
const row = (c: RouteChange) => [c.change, c.router, c.name, c.database, c.before ?? "", c.after ?? "", c.details.join("; ")];

/** The changes as a table, or a line saying there are none. */
export function diffTable(changes: RouteChange[], unchanged: number): string {
  if (changes.length === 0) return `no route changes (${unchanged} routes unchanged)\n`;
  return table(HEADER, changes.map(row)) + summary(changes, unchanged) + "\n";
}

/** The changes as Markdown, for a pull request comment. */
export function diffMarkdown(changes: RouteChange[], unchanged: number): string {
  if (changes.length === 0) return `No route changes (${unchanged} routes unchanged).\n`;
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return [`| ${HEADER.join(" | ")} |`, `|${HEADER.map(() => "---").join("|")}|`,
    ...changes.map((c) => `| ${row(c).map(cell).join(" | ")} |`), "",
    summary(changes, unchanged)].join("\n") + "\n";
}

function summary(changes: RouteChange[], unchanged: number): string {
  const n = (kind: RouteChange["change"]) => changes.filter((c) => c.change === kind).length;
  return `${n("added")} added, ${n("removed")} removed, ${n("re-ported")} re-ported, ${unchanged} unchanged`;
}
