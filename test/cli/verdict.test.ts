// The verdicts that the loopback test (status.test.ts) does not set up, on verdictOf directly.
import { ProbeError } from "../../src/cli/live";
import { Route } from "../../src/cli/route-table";
import { RouteFacts, verdictOf } from "../../src/cli/verdict";

const route = {
  stack: "databases", router: "Router", name: "orders", host: "orders.internal", database: "orders.internal", targetPort: 5432,
    listenerPort: 10000,
  shard: 0, protocol: "TCP", address: "orders.internal:10000", loadBalancer: { name: "lb", address: "aws_lb.X" }, targetGroup:
    "aws_lb_target_group.T",
  admit: ["tcp/5432"], admitFrom: ["subnet-1"], unresolved: [],
} as Route;
const RULE = "databricks_mws_ncc_private_endpoint_rule.R";
const facts = (f: Partial<RouteFacts>): RouteFacts => ({
  route, cidrs: ["10.20.1.0/24"], dns: ["10.1.0.12"], targets: [{ ip: "10.1.0.12", port: 5432, state: "healthy" }],
  serviceId: "vpce-svc-1", connections: [{ vpcEndpointId: "vpce-1", state: "available" }],
  rule: { address: RULE, ruleId: "r1", nccId: "n1", live: { ruleId: "r1", connectionState: "ESTABLISHED", vpcEndpointId: "vpce-1" } }, ...f,
});

test.each<[string, Partial<RouteFacts>, string]>([
  ["rule DISCONNECTED", { rule: { address: RULE, live: { ruleId: "r1", connectionState: "DISCONNECTED", vpcEndpointId: "vpce-1" } } },
    `rule DISCONNECTED: vpce-svc-1 removed endpoint vpce-1 after accepting it: terraform apply -replace='${RULE}'`],
  ["rule CREATE_FAILED",
    { rule: { address: RULE, live: { ruleId: "r1", connectionState: "CREATE_FAILED", errorMessage: "service not found" } } },
    `rule CREATE_FAILED (service not found): fix the cause, then terraform apply -replace='${RULE}'`],
  ["rule deactivated", { rule: { address: RULE, live: { ruleId: "r1", connectionState: "ESTABLISHED", deactivated: true } } },
    "rule ESTABLISHED but deactivated (deleted in the account): run terraform apply to re-create it"],
  ["rule PENDING, connection already available",
    { rule: { address: RULE, live: { ruleId: "r1", connectionState: "PENDING", vpcEndpointId: "vpce-1" } } },
    "rule PENDING, connection available: Databricks has not seen the acceptance yet: wait a few minutes and re-run"],
  ["rule PENDING, no connection from its endpoint",
    { connections: [], rule: { address: RULE, live: { ruleId: "r1", connectionState: "PENDING", vpcEndpointId: "vpce-1" } } },
    `rule PENDING, but vpce-svc-1 has no connection from endpoint vpce-1: wait and re-run; if it stays, terraform apply ` +
    `-replace='${RULE}'`],
  ["rule ESTABLISHED, connection deleted on the service", { connections: [{ vpcEndpointId: "vpce-1", state: "deleted" }] },
    `connection deleted: endpoint vpce-1 on vpce-svc-1 is not usable: terraform apply -replace='${RULE}'`],
  ["the rule's stack's state not given", { rule: { address: RULE, unknown: "pass the state of stack ncc too (--state)" } },
    "NCC rule not checked: pass the state of stack ncc too (--state)"],
  ["the account API fails",
    { rule: { address: RULE, live: new ProbeError("NotFound", "listing the private endpoint rules of NCC n1 failed (HTTP 404)") } },
    "cannot read the NCC rule: listing the private endpoint rules of NCC n1 failed (HTTP 404): check the account id (--account-id) and " +
    "re-run"],
  ["no NCC in these stacks, a connection waits",
    { rule: undefined, connections: [{ vpcEndpointId: "vpce-9", state: "pendingAcceptance", owner: "414351767826" }] },
    "connection pendingAcceptance from vpce-9 (account 414351767826): accept it (the NCC's terraform apply does)"],
  ["no NCC in these stacks, nothing connected", { rule: undefined, connections: [{ vpcEndpointId: "vpce-9", state: "rejected" }] },
    "no available connection to vpce-svc-1 (vpce-9 rejected): create the NCC rule for it (DatabricksNcc) and apply"],
  ["EC2 fails",
    { connections: new ProbeError("Throttling", "DescribeVpcEndpointConnections of vpce-svc-1 failed (Throttling: slow down)") },
    "cannot read the endpoint connections: DescribeVpcEndpointConnections of vpce-svc-1 failed (Throttling: slow down): re-run"],
  ["health checks starting", { targets: [{ ip: "10.1.0.12", port: 5432, state: "initial", reason: "Elb.InitialHealthChecking" }] },
    "target initial (Elb.InitialHealthChecking): health checks have just started: wait a minute and re-run"],
  ["AZ not enabled", { targets: [{ ip: "10.1.0.12", port: 5432, state: "unused", reason: "Target.NotInUse" }] },
    "target unused (Target.NotInUse): 10.1.0.12's Availability Zone has no subnet of the load balancer, or no listener forwards to the " +
    "group: run terraform apply"],
  ["IP unusable", { targets: [{ ip: "10.1.0.12", port: 5432, state: "unhealthy", reason: "Target.IpUnusable" }] },
    "target unusable (Target.IpUnusable): 10.1.0.12 cannot be a target (the load balancer's own address, or not routable from its VPC): " +
    "check the DNS answer"],
  ["another reason",
    { targets: [{ ip: "10.1.0.12", port: 5432, state: "unhealthy", reason: "Elb.InternalError", description: "internal" }] },
    "target unhealthy (Elb.InternalError): internal: see the target group's Targets tab"],
  ["target health unreadable", { targets: new ProbeError("Throttling", "DescribeTargetHealth of arn failed (Throttling: slow down)") },
    "cannot read the target health: DescribeTargetHealth of arn failed (Throttling: slow down): re-run"],
  ["no subnet CIDRs in the state: the subnets named",
    { cidrs: [], targets: [{ ip: "10.1.0.12", port: 5432, state: "unhealthy", reason: "Target.Timeout" }] },
    "target unhealthy (Target.Timeout): the database's security group must admit tcp/5432 from the router's subnets (subnet-1)"],
])("%s", (_, f, line) => {
  const v = verdictOf(facts(f));
  expect(v.healthy).toBe(false);
  expect(v.line).toBe(line);
});

test("a stale address draining and a healthy one in the answer: healthy", () => {
  const v = verdictOf(
    facts({ targets: [{ ip: "10.1.0.12", port: 5432, state: "healthy" }, { ip: "10.1.0.9", port: 5432, state: "draining", reason: "Targe" +
      "t.DeregistrationInProgress" }] }));
  expect(v).toEqual(
    expect.objectContaining({ healthy: true, line: "healthy: 1 of 1 targets healthy, rule ESTABLISHED, connection available" }));
});

test("every problem is listed, the first in the order a connection meets them", () => {
  const v = verdictOf(facts({
    dns: ["10.1.0.50"], rule: { address: RULE, live: { ruleId: "r1", connectionState: "PENDING", vpcEndpointId: "vpce-1" } },
    connections: [{ vpcEndpointId: "vpce-1", state: "pendingAcceptance" }],
  }));
  expect(v.problems).toEqual([
    "rule PENDING, connection pendingAcceptance: run terraform apply to accept",
    "DNS answer 10.1.0.50 is not registered (failover since the last apply): run terraform apply, or enable ipSync",
  ]);
});
