// Direct tests of the router's pure pieces: the port planner, the rule budget and a target's
// spec (protocols, egress ports, defaults), without constructs where none is needed.
import { Testing, TerraformStack } from "cdktf";
import { PortAssignment, ValidationError } from "../../src";
import { PlacementError, PortPlanner } from "../../src/router/port-planner";
import { MAX_RULES_PER_SECURITY_GROUP, RuleBudget } from "../../src/router/rule-budget";
import { egressPortsOf, protocolsOf, resolveHealthCheck, specifyTarget } from "../../src/router/target-spec";

const EMPTY = { version: 1, targets: {}, retired: {} };
const place = (planner: PortPlanner, name: string, port: number, pin?: number) => {
  const p = planner.plan(name, port, pin);
  planner.take(name, p);
  return [p.listenerPort, p.shard];
};

describe("PortPlanner", () => {
  test("SEQUENTIAL fills shard 0 from basePort, then shard 1 from basePort + M", () => {
    const planner = new PortPlanner(PortAssignment.SEQUENTIAL, 20000, 2, EMPTY, []);
    expect(["a", "b", "c"].map((n) => place(planner, n, 5432))).toEqual([[20000, 0], [20001, 0], [20002, 1]]);
  });

  test("TARGET_PORT puts two databases on one port in different shards", () => {
    const planner = new PortPlanner(PortAssignment.TARGET_PORT, 10000, 50, EMPTY, []);
    expect([place(planner, "a", 5432), place(planner, "b", 5432), place(planner, "c", 3306)]).toEqual([[5432, 0], [5432, 1], [3306, 0]]);
  });

  test("a recorded target keeps its port and shard; a retired port is not reused", () => {
    const recorded = { version: 1, targets: { b: { listenerPort: 10007, shard: 0 } }, retired: { old: { listenerPort: 10000, shard: 0 } } };
    const planner = new PortPlanner(PortAssignment.SEQUENTIAL, 10000, 50, recorded, []);
    expect([place(planner, "a", 1), place(planner, "b", 1)]).toEqual([[10001, 0], [10007, 0]]);
  });

  test("plan() does not record: the same placement is offered until take()", () => {
    const planner = new PortPlanner(PortAssignment.SEQUENTIAL, 10000, 50, EMPTY, []);
    expect(planner.plan("a", 1)).toEqual(planner.plan("b", 1));
  });

  test("a pinned port used twice is a PlacementError", () => {
    const planner = new PortPlanner(PortAssignment.SEQUENTIAL, 10000, 50, EMPTY, [10005]);
    place(planner, "a", 1, 10005);
    expect(() => planner.plan("b", 1, 10005)).toThrow(PlacementError);
  });
});

describe("RuleBudget", () => {
  test("per-IP egress: one rule per address and egress port; host targets count one address", () => {
    const budget = new RuleBudget(0, undefined);
    const r = budget.check(0, { ipCount: 3, protocol: "TCP", egressPorts: ["tcp:5432", "tcp:8080"] });
    expect(r).toEqual({ ok: true, counts: { ingress: 0, egress: 6, egressPorts: new Set(["tcp:5432", "tcp:8080"]) } });
    expect(budget.check(0, { protocol: "TCP", egressPorts: ["tcp:5432"] })).toMatchObject({ ok: true, counts: { egress: 1 } });
  });

  test("egressCidrs: one rule per CIDR and distinct port of the shard", () => {
    const budget = new RuleBudget(0, 2);
    const first = budget.check(0, { ipCount: 5, protocol: "TCP", egressPorts: ["tcp:5432"] });
    if (!first.ok) throw new Error("unexpected");
    budget.take(0, first.counts);
    expect(budget.check(0, { ipCount: 9, protocol: "TCP", egressPorts: ["tcp:5432"] })).toMatchObject({ ok: true, counts: { egress: 2 } });
    expect(budget.check(0, { ipCount: 1, protocol: "TCP", egressPorts: ["tcp:3306"] })).toMatchObject({ ok: true, counts: { egress: 4 } });
    expect(budget.check(1, { ipCount: 1, protocol: "TCP", egressPorts: ["tcp:3306"] })).toMatchObject({ ok: true, counts: { egress: 2 } });
  });

  test.each([
    [MAX_RULES_PER_SECURITY_GROUP, true],
    [MAX_RULES_PER_SECURITY_GROUP + 1, false],
  ])("%d outbound rules in one shard: within quota %p", (ips, ok) => {
    expect(new RuleBudget(0, undefined).check(0, { ipCount: ips, protocol: "UDP", egressPorts: ["udp:53"] }).ok).toBe(ok);
  });

  test.each([
    [30, "TCP_UDP", true],
    [31, "TCP_UDP", false],
    [60, "TCP", true],
  ])("%d ingress CIDRs on a %s listener: within quota %p", (cidrs, protocol, ok) => {
    const r = new RuleBudget(cidrs, 1).check(0, { protocol, egressPorts: ["tcp:1"] });
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r).toEqual({ ok: false, direction: "ingress", count: cidrs * 2 });
  });
});

describe("target spec", () => {
  test.each([
    ["TCP", ["tcp"]],
    ["UDP", ["udp"]],
    ["TCP_UDP", ["tcp", "udp"]],
  ])("protocolsOf(%s) is %p", (protocol, expected) => {
    expect(protocolsOf(protocol)).toEqual(expected);
  });

  const stack = new TerraformStack(Testing.app(), "s");
  const tcp = resolveHealthCheck(stack, {}, undefined, "healthCheck");
  test.each([
    ["TCP", 5432, tcp, ["tcp:5432"]],
    ["UDP", 53, tcp, ["udp:53", "tcp:53"]],
    ["TCP_UDP", 53, tcp, ["tcp:53", "udp:53"]],
    ["TCP", 5432, { ...tcp, port: "8080" }, ["tcp:5432", "tcp:8080"]],
  ])("egress ports of a %s target on %d", (protocol, port, hc, expected) => {
    expect(egressPortsOf(protocol as string, port as number, hc as any)).toEqual(expected);
  });

  test("defaults: TCP, AZ all, health check TCP on the traffic port, domain name = host", () => {
    const spec = specifyTarget(stack, { host: "orders.example.com", port: 5432 }, { defaultHealthCheck: {}, nameTaken: () => false });
    expect(spec).toEqual({
      name: "orders", host: "orders.example.com", ips: undefined, port: 5432, listenerPort: undefined, protocol: "TCP",
      availabilityZone: "all", egressPorts: ["tcp:5432"], domainName: "orders.example.com",
      healthCheck: { protocol: "TCP", port: "traffic-port", path: null, healthyThreshold: 3, unhealthyThreshold: 3, interval: 30, timeout: 10, matcher: null },
    });
  });

  test("a taken name is a ValidationError", () => {
    expect(() => specifyTarget(stack, { host: "orders.example.com", port: 5432 }, { defaultHealthCheck: {}, nameTaken: () => true }))
      .toThrow(ValidationError);
  });
});
