// `routes` output as text: a table for a terminal, JSON for machines, Markdown for a pull
// request comment. (The Mermaid diagram is in mermaid.ts, the comparison in route-diff.ts.)
import { Route } from "./route-table";

/** The columns people read, in order. */
const COLUMNS: Array<[string, (r: Route) => string]> = [
  ["router", (r) => `${r.stack}/${r.router}`],
  ["target", (r) => r.name],
  ["database", (r) => `${r.database}:${r.targetPort}`],
  ["notebooks connect to", (r) => (r.domainName ? r.address : `(no domain name) listener ${r.listenerPort}`)],
  ["shard", (r) => String(r.shard)],
  ["endpoint service", (r) => r.endpointService?.path ?? "(none)"],
  ["NCC rule", (r) => (r.rule ? `${r.rule.stack === r.stack ? "" : `${r.rule.stack}/`}${r.rule.path}` : "(none)")],
  ["database admits", (r) => `${r.admit.join(", ")} from ${r.admitFrom.join(", ")}`],
];

/** Columns padded to their widest cell, two spaces apart. */
export function routeTable(routes: Route[]): string {
  if (routes.length === 0) return "no routes: the stacks hold no PrivateLinkRouter targets\n";
  return table(COLUMNS.map(([h]) => h), routes.map((r) => COLUMNS.map(([, f]) => f(r))));
}

/** Rows as aligned text with a rule under the header. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n";
}

/** A GitHub-flavoured Markdown table (pipes in cells escaped). */
export function routeMarkdown(routes: Route[]): string {
  if (routes.length === 0) return "_No routes: the stacks hold no PrivateLinkRouter targets._\n";
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const rows = routes.map((r) => COLUMNS.map(([name, f]) => (name === "notebooks connect to" && r.domainName ? `\`${f(r)}\`` : f(r))));
  return [
    `| ${COLUMNS.map(([h]) => h).join(" | ")} |`,
    `|${COLUMNS.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n") + "\n";
}

/** The routes as JSON, one object per route. */
export function routeJson(routes: Route[]): string {
  return JSON.stringify(routes, null, 2) + "\n";
}
