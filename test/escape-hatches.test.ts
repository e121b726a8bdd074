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

test("stack.addOverride reaches the NCC's rule and its connection accepter", () => {
  const { stack, ncc } = connectedStack();
  const rule = stack.getLogicalId(ncc.rules[0]);
  const accepter = Object.keys(JSON.parse(Testing.synth(stack)).resource.aws_vpc_endpoint_connection_accepter)[0];
  stack.addOverride(`resource.databricks_mws_ncc_private_endpoint_rule.${rule}.enabled`, false);
  stack.addOverride(`resource.aws_vpc_endpoint_connection_accepter.${accepter}.lifecycle.prevent_destroy`, true);
  const json = JSON.parse(Testing.synth(stack));
  expect(json.resource.databricks_mws_ncc_private_endpoint_rule[rule].enabled).toBe(false);
  expect(json.resource.aws_vpc_endpoint_connection_accepter[accepter].lifecycle.prevent_destroy).toBe(true);
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

// The tagging Aspect of cdktf's documentation (Aspects): it spreads `tagsInput` into new tags.
// On resources only: a data source's `tags` is a filter (the router's `aws_subnet` has one).
type Taggable = TerraformResource & { tags?: { [key: string]: string }; tagsInput?: { [key: string]: string } };
const isTaggable = (node: IConstruct): node is Taggable => node instanceof TerraformResource && "tags" in node && "tagsInput" in node;

test.each([
  ["with router tags", { team: "data" }],
  ["without router tags", undefined],
])("the documented tagging Aspect tags every taggable resource, %s, and keeps the router's tags", (_, tags) => {
  const { stack, databricks } = newStack();
  const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(2), tags, ingressCidrs: ["10.9.0.0/16"] }));
  new DatabricksNcc(stack, "Ncc", { region: "us-east-1", provider: databricks, routers: [router] });
  const tagged: string[] = [];
  Aspects.of(stack).add({
    visit: (node: IConstruct) => {
      if (!isTaggable(node)) return;
      node.tags = { Owner: "platform", ...(node.tagsInput ?? {}) };
      tagged.push(node.terraformResourceType);
    },
  });
  const json = JSON.parse(Testing.synth(stack));
  const taggedBlocks = Object.entries<any>(json.resource).filter(([type]) => tagged.includes(type))
    .flatMap(([type, byId]) => Object.entries<any>(byId).map(([id, block]) => ({ address: `${type}.${id}`, tags: block.tags })));
  expect(new Set(tagged)).toEqual(new Set(["aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_security_group", "aws_vpc_endpoint_service",
    "aws_vpc_security_group_egress_rule", "aws_vpc_security_group_ingress_rule"]));
  const settings = Object.entries<any>(json.locals).find(([k]) => k.startsWith("Router_settings_"))![0];
  const team = tags ? { team: `\${local.${settings}.tag_values[0]}` } : {};
  for (const block of taggedBlocks) {
    // Exactly the router's tags, the Aspect's and a shard resource's Name: nothing spread from a string.
    const { Name, ...rest } = block.tags;
    expect({ address: block.address, tags: rest }).toEqual({ address: block.address, tags: { Owner: "platform", ...team } });
    if (/^aws_(lb|security_group|vpc_endpoint_service)\./.test(block.address)) expect(Name).toMatch(/^privatelink-router-0-/);
    else expect(Name).toBeUndefined();
  }
});
