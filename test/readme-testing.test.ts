// The README's "Testing your stacks" example, run on the example app: what it shows users works.
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { MwsNccPrivateEndpointRule } from "@cdktf/provider-databricks/lib/mws-ncc-private-endpoint-rule";
import { Testing } from "cdktf";
import { DatabricksServerlessStack } from "../examples/databricks-serverless/stack";

test("orders keeps its port and is reachable from Databricks (README, Testing your stacks)", () => {
  const app = Testing.app({ context: { "cdktf-privatelink-router:portMapFile": "read-only" } });
  const stack = new DatabricksServerlessStack(app, "databases");
  expect(stack.router.portOf("orders")).toBe(10000);
  expect(stack.router.routes.map((r) => [r.name, r.listenerPort, r.shard])).toContainEqual(["orders", 10000, 0]);
  expect(stack.ncc.connections.map((c) => c.address)).toContain("orders.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com:10000");
  const synthesized = Testing.synth(stack);
  expect(synthesized).toHaveResourceWithProperties(MwsNccPrivateEndpointRule, { domain_names: expect.arrayContaining(["orders.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com"]) });
  expect(synthesized).toHaveResourceWithProperties(LbListener, { port: "${each.value.listener_port}" });
  const locals = JSON.parse(synthesized).locals;
  const targets = Object.entries<any>(locals).find(([k]) => /_targets_/.test(k))![1];
  expect(targets.orders).toMatchObject({ listener_port: 10000, shard: 0, port: 5432 });
});
