// Synthesizes a fixed, feature-rich app and prints its JSON; run twice in two processes by
// determinism.test.ts. Optional argument: a port map file; "reverse" declares targets backwards.
import { Testing } from "cdktf";
import { DatabricksNcc, PrivateLinkRouter, RouterTarget } from "../../src";
import { newStack, routerProps } from "../helpers";

export function program(portMapFile?: string, reverse = false): string {
  const { stack, databricks } = newStack();
  const targets: RouterTarget[] = [
    ...Array.from({ length: 25 }, (_, i) => ({ name: `db${i}`, host: `db${i}.corp.internal`, port: [5432, 3306, 1433][i % 3] })),
    { name: "mssql", ips: ["10.20.1.10", "10.20.2.10"], port: 1433, healthCheck: { port: "8080" }, domainName: "mssql.corp.internal" },
    { name: "pinned", host: "pinned.corp.internal", port: 5439, listenerPort: 15439 },
  ];
  const router = new PrivateLinkRouter(stack, "Router", routerProps({
    targets: reverse ? [...targets].reverse() : targets,
    maxTargetsPerLoadBalancer: 10,
    portMapFile,
    tags: { b: "2", a: "1" },
    allowedPrincipals: ["arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:root"],
  }));
  new DatabricksNcc(stack, "Ncc", { region: "us-east-1", provider: databricks, workspaceIds: [2, 1], routers: [router] });
  return Testing.synth(stack);
}

if (require.main === module) process.stdout.write(program(process.argv[2]));
