import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
// In your app: import { DatabricksNcc, PrivateLinkRouter } from "cdktf-privatelink-router";
import { DatabricksNcc, PrivateLinkRouter } from "../../src";

/**
 * Databricks serverless (us-east-1) reaching four databases in other AWS accounts over one
 * PrivateLink router in the network account, connected through Transit Gateway.
 */
export class DatabricksServerlessStack extends TerraformStack {
  public readonly router: PrivateLinkRouter;
  public readonly ncc: DatabricksNcc;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const env = process.env;

    // The network account that owns the router VPC (credentials come from the usual AWS
    // environment: AWS_PROFILE, AWS_ACCESS_KEY_ID, ...).
    new AwsProvider(this, "aws", { region: "us-east-1", defaultTags: [{ tags: { owner: "data-platform" } }] });

    // Account-level Databricks provider: every databricks_mws_* resource needs one. Credentials
    // come from DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET (a service principal of the
    // account); the placeholders below only let the app synthesize offline.
    const databricks = new DatabricksProvider(this, "databricks", {
      alias: "account",
      host: "https://accounts.cloud.databricks.com",
      accountId: env.DATABRICKS_ACCOUNT_ID ?? "00000000-0000-0000-0000-000000000000",
    });

    this.router = new PrivateLinkRouter(this, "Router", {
      vpcId: env.ROUTER_VPC_ID ?? "vpc-0a1b2c3d4e5f60718",
      subnetIds: (env.ROUTER_SUBNET_IDS ?? "subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002,subnet-0a1b2c3d4e5f60003").split(","),
      serviceName: "dbx-router",
      portMapFile: "examples/databricks-serverless/ports.json",
      tags: { purpose: "databricks-serverless-privatelink" },
      targets: [
        // Aurora PostgreSQL, by its cluster (writer) endpoint: DNS follows failover on each plan.
        { name: "orders", host: "orders.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com", port: 5432 },
        // RDS MySQL in another account.
        { name: "billing", host: "billing.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com", port: 3306 },
        // SQL Server on EC2, by its literal private IPs (no DNS name resolvable from here); notebooks
        // reach it by a name in a private zone the platform team controls.
        { name: "erp", ips: ["10.40.12.7"], port: 1433, domainName: "erp.corp.internal" },
        // Redshift, by its cluster endpoint.
        { name: "warehouse", host: "analytics.c1a2b3c4d5e6.us-east-1.redshift.amazonaws.com", port: 5439 },
      ],
    });

    this.ncc = new DatabricksNcc(this, "Ncc", {
      region: "us-east-1",
      name: "serverless-databases",
      workspaceIds: [1234567890123456, 2345678901234567],
      provider: databricks,
      // One rule for the router's one shard: its domain names are the targets' own (hosts, and
      // erp's domainName).
      routers: [this.router],
    });

    new TerraformOutput(this, "endpoint_service_names", { value: this.router.endpointServiceNames });
  }
}
