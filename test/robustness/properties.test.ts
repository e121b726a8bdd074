import * as fc from "fast-check";
import { DatabricksNcc, PrivateLinkRouter, PrivateLinkRouterProps, ValidationError } from "../../src";
import { newStack, synth } from "../helpers";
import { checkInvariants } from "../invariants";
import { fcOptions, routerPropsArb } from "./arbitraries";

/**
 * Builds a random router (and sometimes an NCC over it): either it synthesizes JSON that holds
 * every invariant of docs/design.md#invariants, or it throws ValidationError. Anything else fails.
 */
function buildAndCheck(props: PrivateLinkRouterProps, withNcc: boolean, domainNames?: string[]): "valid" | "rejected" {
  const { stack, databricks } = newStack();
  let json: any;
  let router: PrivateLinkRouter;
  try {
    router = new PrivateLinkRouter(stack, "Router", props);
    if (withNcc) new DatabricksNcc(stack, "Ncc", { region: "us-east-1", provider: databricks }).addRouter(router, domainNames ? { domainNames } : undefined);
    json = synth(stack);
  } catch (e) {
    if (e instanceof ValidationError) return "rejected";
    throw e;
  }
  const violations = checkInvariants(json, {
    acceptanceRequired: props.acceptanceRequired ?? true,
    egressCidrs: props.egressCidrs,
    maxTargets: props.maxTargetsPerLoadBalancer,
  });
  expect(violations).toEqual([]);

  // The routes agree with the synthesized map, and with the shard rules.
  const targets = Object.entries<any>(json.locals).find(([k, v]) => /_targets_/.test(k) && typeof v === "object")![1];
  const max = props.maxTargetsPerLoadBalancer ?? 50;
  expect(Object.keys(targets).sort()).toEqual(router.routes.map((r) => r.name).sort());
  router.routes.forEach((r, i) => {
    const declared = props.targets![i];
    expect(targets[r.name]).toMatchObject({ listener_port: r.listenerPort, shard: r.shard, port: r.targetPort });
    if (declared.listenerPort !== undefined) expect(r.listenerPort).toBe(declared.listenerPort);
    else if (props.portAssignment === "TARGET_PORT") expect(r.listenerPort).toBe(r.targetPort);
  });
  for (const shard of router.shards) expect(shard.routes.length).toBeLessThanOrEqual(max);
  if (props.portAssignment !== "TARGET_PORT") {
    const ports = router.routes.map((r) => r.listenerPort);
    expect(new Set(ports).size).toBe(ports.length);
  }
  if (withNcc) {
    const rules = Object.values<any>(json.resource.databricks_mws_ncc_private_endpoint_rule);
    expect(rules).toHaveLength(router.shards.length);
    for (const rule of rules) expect(rule.domain_names.length).toBeLessThanOrEqual(10);
    for (const svc of Object.values<any>(json.resource.aws_vpc_endpoint_service)) {
      expect(svc.allowed_principals).toContain("arn:aws:iam::565502421330:role/private-connectivity-role-us-east-1");
    }
  }
  return "valid";
}

/** Runs a property and checks that a fair share of its cases synthesized (not a vacuous pass). */
function assertMostlyValid<T>(arb: fc.Arbitrary<T>, run: (value: T) => "valid" | "rejected", minValid: number): void {
  let valid = 0;
  let total = 0;
  fc.assert(fc.property(arb, (value) => {
    total++;
    if (run(value) === "valid") valid++;
  }), fcOptions);
  expect(valid / total).toBeGreaterThanOrEqual(minValid);
}

test("random routers synthesize valid JSON or throw ValidationError", () => {
  assertMostlyValid(routerPropsArb, (props) => buildAndCheck(props, false), 0.4);
});

test("random routers with an NCC synthesize valid JSON or throw ValidationError", () => {
  const domains = fc.option(fc.array(fc.constantFrom("a.corp.internal", "b.corp.internal", "A.corp.internal", "bad name"), { minLength: 0, maxLength: 3 }), { nil: undefined, freq: 3 });
  assertMostlyValid(fc.tuple(routerPropsArb, domains), ([props, domainNames]) => buildAndCheck(props, true, domainNames), 0.05);
});
