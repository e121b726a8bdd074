import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { DatabricksNcc, PortAssignment, PrivateLinkRouter } from "../src";
import { newStack, routerProps } from "./helpers";
import { checkInvariants } from "./invariants";

// One snapshot for the smallest and one for the fullest configuration; behaviour is asserted
// property by property in the other test files, never by these snapshots alone.

test("smallest router and NCC", () => {
  // GIVEN
  const { stack, databricks } = newStack();
  // WHEN
  const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ host: "orders.cluster-abc.us-east-1.rds.amazonaws.com", port: 5432 }] }));
  new DatabricksNcc(stack, "Ncc", { region: "us-east-1", provider: databricks, routers: [router] });
  // THEN
  const json = Testing.synth(stack);
  expect(checkInvariants(JSON.parse(json))).toEqual([]);
  expect(json).toMatchSnapshot();
});

test("fullest router and NCC", () => {
  // GIVEN
  const { stack, databricks } = newStack();
  const network = new AwsProvider(stack, "network", { region: "us-east-1", alias: "network" });
  // WHEN
  const router = new PrivateLinkRouter(stack, "Router", routerProps({
    serviceName: "dbx-router",
    basePort: 20000,
    portAssignment: PortAssignment.TARGET_PORT,
    maxTargetsPerLoadBalancer: 2,
    healthCheck: { healthyThreshold: 2, unhealthyThreshold: 2, intervalSeconds: 10, timeoutSeconds: 5 },
    ingressCidrs: ["10.50.0.0/16"],
    egressCidrs: ["10.20.0.0/16", "10.30.0.0/16"],
    allowedPrincipals: ["arn:aws:iam::123456789012:root"],
    crossZoneLoadBalancing: false,
    tcpIdleTimeoutSeconds: 3600,
    deregistrationDelaySeconds: 30,
    tags: { team: "data-platform", env: "prod" },
    awsProvider: network,
    // (ipSync is left out: its Lambda zip's hash follows every build of the handler; ip-sync tests cover it)
    alarms: { actions: ["arn:aws:sns:us-east-1:123456789012:db-alerts"], evaluationPeriods: 3, noNewConnectionsMinutes: 60 },
    targets: [
      { name: "orders", host: "orders.cluster-abc.us-east-1.rds.amazonaws.com", port: 5432 },
      { name: "mssql", ips: ["10.20.1.10", "10.20.2.10"], port: 1433, availabilityZone: "all", domainName: "mssql.corp.internal" },
      { name: "billing", host: "billing.cluster-def.us-east-1.rds.amazonaws.com", port: 5432, listenerPort: 15432 },
      { name: "inventory", host: "inventory.abc.us-east-1.rds.amazonaws.com", port: 3306, healthCheck: { protocol: "HTTP", port: "8080", path: "/health" } },
      { name: "reporting", host: "reporting.cluster-ghi.us-east-1.rds.amazonaws.com", port: 5432, protocol: "TCP_UDP" },
      { name: "local-cache", ips: ["10.30.5.5"], port: 6379, availabilityZone: "auto", protocol: "TCP", domainName: "cache.corp.internal" },
    ],
  }));
  new DatabricksNcc(stack, "Ncc", {
    region: "us-east-1",
    name: "analytics-ncc",
    workspaceIds: [1234567890123456, 6543210987654321],
    provider: databricks,
    awsProvider: network,
    routers: [router],
  });
  // THEN
  const json = Testing.synth(stack);
  expect(checkInvariants(JSON.parse(json), { egressCidrs: ["10.20.0.0/16", "10.30.0.0/16"], maxTargets: 2 })).toEqual([]);
  expect(json).toMatchSnapshot();
});
