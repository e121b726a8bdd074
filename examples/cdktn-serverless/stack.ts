// The stack of the CDK Terrain example, written as a cdktn user writes it: cdktn, the @cdktn
// providers and cdktn-privatelink-router (the cdktn build, linked here by `npm run build`).
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktn/provider-databricks/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktn";
import { Construct } from "constructs";
import { DatabricksNcc, PrivateLinkRouter } from "cdktn-privatelink-router";

/**
 * Databricks serverless (us-east-1) reaching two Aurora clusters and an EC2 database in other
 * accounts, with IP sync (failovers registered seconds after the RDS event, which the databases'
 * account forwards, or within a minute on the schedule) and alarms on every way a route breaks.
 */
export class CdktnServerlessStack extends TerraformStack {
  public readonly router: PrivateLinkRouter;
  public readonly ncc: DatabricksNcc;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const databricks = new DatabricksProvider(this, "databricks", {
      alias: "account",
      host: "https://accounts.cloud.databricks.com",
      accountId: process.env.DATABRICKS_ACCOUNT_ID ?? "00000000-0000-0000-0000-000000000000",
    });

    this.router = new PrivateLinkRouter(this, "Router", {
      vpcId: "vpc-0a1b2c3d4e5f60718",
      subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
      serviceName: "dbx-terrain",
      // The databases' networks, reached through Transit Gateway (IP sync needs them).
      egressCidrs: ["10.40.0.0/16", "10.41.0.0/16"],
      ipSync: { eventSourceAccounts: ["444455556666"] },
      alarms: { actions: ["arn:aws:sns:us-east-1:111122223333:db-alerts"] },
      targets: [
        { name: "orders", host: "orders.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com", port: 5432 },
        { name: "ledger", host: "ledger.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com", port: 5432 },
        { name: "erp", ips: ["10.40.12.7"], port: 1433, domainName: "erp.corp.internal" },
      ],
    });

    this.ncc = new DatabricksNcc(this, "Ncc", {
      region: "us-east-1", name: "terrain-databases", workspaceIds: [1234567890123456], provider: databricks, routers: [this.router],
    });

    new TerraformOutput(this, "endpoint_service_names", { value: this.router.endpointServiceNames });
  }
}
