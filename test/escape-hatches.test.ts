// Escape hatches are part of the API: stack.addOverride, an element's addOverride and an Aspect
// reach every kind of resource the library makes (shard resources, for_each resources, the NCC's).
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { MwsNccPrivateEndpointRule } from "@cdktf/provider-databricks/lib/mws-ncc-private-endpoint-rule";
import { Aspects, TerraformResource, Testing } from "cdktf";
import { IConstruct } from "constructs";
import { DatabricksNcc, PrivateLinkRouter } from "../src";
import { dnsTargets, newStack, routerProps } from "./helpers";

function connectedStack() {
  const { stack, databricks } = newStack();
  const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(2) }));
  const ncc = new DatabricksNcc(stack, "Ncc", { region: "us-east-1", provider: databricks, routers: [router] });
  return { stack, router, ncc };
}

test("stack.addOverride reaches a shard's load balancer and a for_each listener", () => {
  const { stack, router } = connectedStack();
  const lb = router.shards[0].loadBalancer;
  const listener = router.node.findAll().find((c) => c instanceof LbListener) as LbListener;
  stack.addOverride(`resource.aws_lb.${stack.getLogicalId(lb)}.idle_timeout`, 120);
  stack.addOverride(`resource.aws_lb_listener.${stack.getLogicalId(listener)}.tcp_idle_timeout_seconds`, 900);
  const json = JSON.parse(Testing.synth(stack));
  expect(json.resource.aws_lb[stack.getLogicalId(lb)].idle_timeout).toBe(120);
  expect(json.resource.aws_lb_listener[stack.getLogicalId(listener)].tcp_idle_timeout_seconds).toBe(900);
});

test("an element's addOverride reaches a router resource and an NCC rule", () => {
  const { stack, router, ncc } = connectedStack();
  router.shards[0].loadBalancer.addOverride("enable_deletion_protection", true);
  ncc.rules[0].addOverride("enabled", false);
  const synthesized = Testing.synth(stack);
  expect(synthesized).toHaveResourceWithProperties(Lb, { enable_deletion_protection: true });
  expect(synthesized).toHaveResourceWithProperties(MwsNccPrivateEndpointRule, { enabled: false });
});

test("an Aspect that overrides every resource reaches every resource the library makes", () => {
  const { stack } = connectedStack();
  const visited: string[] = [];
  Aspects.of(stack).add({
    visit: (node: IConstruct) => {
      if (node instanceof TerraformResource) {
        node.addOverride("lifecycle.ignore_changes", ["tags_all"]);
        visited.push(node.terraformResourceType);
      }
    },
  });
  const json = JSON.parse(Testing.synth(stack));
  const all = Object.values<any>(json.resource).flatMap((byId) => Object.values<any>(byId));
  expect(all.length).toBeGreaterThan(10);
  expect(all.filter((r) => !(r.lifecycle?.ignore_changes ?? []).includes("tags_all"))).toEqual([]);
  // Deep-merged: what the library set in `lifecycle` stays.
  expect(Object.values<any>(json.resource.aws_lb_target_group)[0].lifecycle.create_before_destroy).toBe(true);
  expect(visited).toEqual(expect.arrayContaining(["aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_vpc_endpoint_service", "databricks_mws_ncc_private_endpoint_rule", "aws_vpc_endpoint_connection_accepter"]));
});
