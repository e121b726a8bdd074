import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DatabricksNcc, PrivateLinkRouter, RouterTarget } from "../../src";

/** The network account's region and the Databricks workspaces' region: one region here. */
const REGION = "us-east-1";

/**
 * A network team's stack: one router in the network account, its own state. It knows nothing of
 * Databricks; the data platform's stack connects it.
 */
export class NetworkStack extends TerraformStack {
  public readonly router: PrivateLinkRouter;

  constructor(scope: Construct, id: string, props: { serviceName: string; vpcId: string; subnetIds: string[]; targets: RouterTarget[] }) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: REGION });
    this.router = new PrivateLinkRouter(this, "Router", { ...props, maxTargetsPerLoadBalancer: 10 });
  }
}

/**
 * The data platform team's stack: the NCC, its rules (one per router shard), the workspace
 * binding, and the acceptance of each connection, through an aws provider for the network
 * account (`awsProvider`, required when a router lives in another stack).
 */
export class DatabricksStack extends TerraformStack {
  public readonly ncc: DatabricksNcc;

  constructor(scope: Construct, id: string, routers: PrivateLinkRouter[]) {
    super(scope, id);
    // For the network account: a role the data platform's pipeline may assume there, scoped to
    // ec2:AcceptVpcEndpointConnections and ec2:Describe* (a placeholder here).
    const networkAccount = new AwsProvider(this, "network-account", { alias: "network", region: REGION });
    const databricks = new DatabricksProvider(this, "databricks", {
      alias: "account",
      host: "https://accounts.cloud.databricks.com",
      accountId: process.env.DATABRICKS_ACCOUNT_ID ?? "00000000-0000-0000-0000-000000000000",
    });
    this.ncc = new DatabricksNcc(this, "Ncc", {
      region: REGION,
      provider: databricks,
      awsProvider: networkAccount,
      workspaceIds: [1234567890123456],
      routers,
    });
  }
}

/** Two network stacks (two VPCs, two states) feeding one Databricks stack. */
export function twoTeamsApp(app: App): { orders: NetworkStack; analytics: NetworkStack; databricks: DatabricksStack } {
  const orders = new NetworkStack(app, "network-orders", {
    serviceName: "orders",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    targets: [
      { name: "orders", host: "orders.cluster-c9d8e7f6a5b4.us-east-1.rds.amazonaws.com", port: 5432 },
      { name: "billing", host: "billing.cluster-c9d8e7f6a5b4.us-east-1.rds.amazonaws.com", port: 5432 },
    ],
  });
  const analytics = new NetworkStack(app, "network-analytics", {
    serviceName: "analytics",
    vpcId: "vpc-0f0e0d0c0b0a09080",
    subnetIds: ["subnet-0f0e0d0c0b0a00001", "subnet-0f0e0d0c0b0a00002"],
    targets: [{ name: "warehouse", host: "warehouse.corp.internal", port: 5439 }],
  });
  const databricks = new DatabricksStack(app, "databricks", [orders.router, analytics.router]);
  return { orders, analytics, databricks };
}
