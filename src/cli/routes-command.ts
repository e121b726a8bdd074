// `privatelink-router routes`: the routes of the synthesized stacks in the chosen format, or
// with --against, what changes between two synthesized outputs.
import { Options } from "./args";
import { routeMermaid } from "./mermaid";
import { diffMarkdown, diffRoutes, diffTable } from "./route-diff";
import { routeJson, routeMarkdown, routeTable } from "./route-formats";
import { routesOf } from "./route-table";
import { readStacks } from "./synthesized";

/** The text `routes` prints. */
export function routesCommand(options: Options, cwd: string): string {
  const routes = routesOf(readStacks(options.stacks, cwd));
  if (options.against !== undefined) {
    const before = routesOf(readStacks([options.against], cwd));
    const changes = diffRoutes(before, routes);
    const unchanged = routes.length - changes.filter((c) => c.change !== "removed").length;
    if (options.format === "json") return JSON.stringify({ changes, unchanged }, null, 2) + "\n";
    return options.format === "markdown" ? diffMarkdown(changes, unchanged) : diffTable(changes, unchanged);
  }
  switch (options.format) {
    case "json": return routeJson(routes);
    case "markdown": return routeMarkdown(routes);
    case "mermaid": return routeMermaid(routes);
    default: return routeTable(routes);
  }
}
