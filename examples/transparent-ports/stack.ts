import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DatabricksNcc, PortAssignment, PrivateLinkRouter } from "../../src";

/**
 * TARGET_PORT: every listener uses the database's own port, so notebooks keep the database's
 * own `host:port` (and TLS hostname verification). Two PostgreSQL databases both on 5432
 * cannot share a load balancer, so they land in two shards, each its own endpoint service and
 * its own private endpoint rule, with its own domain name.
 */
export class TransparentPortsStack extends TerraformStack {
  public readonly router: PrivateLinkRouter;
  public readonly ncc: DatabricksNcc;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const databricks = new DatabricksProvider(this, "databricks", {
      alias: "account",
      host: "https://accounts.cloud.databricks.com",
      accountId: process.env.DATABRICKS_ACCOUNT_ID ?? "00000000-0000-0000-0000-000000000000",
    });
    this.router = new PrivateLinkRouter(this, "Router", {
      vpcId: "vpc-0f1e2d3c4b5a69788",
      subnetIds: ["subnet-0f1e2d3c4b5a60001", "subnet-0f1e2d3c4b5a60002"],
      portAssignment: PortAssignment.TARGET_PORT,
      targets: [
        { name: "sales", host: "sales.cluster-a1b2c3d4e5f6.eu-west-1.rds.amazonaws.com", port: 5432 },
        { name: "hr", host: "hr.cluster-a1b2c3d4e5f6.eu-west-1.rds.amazonaws.com", port: 5432 },
      ],
    });
    this.ncc =
      new DatabricksNcc(this, "Ncc",
        { region: "eu-west-1", provider: databricks, workspaceIds: [3456789012345678], routers: [this.router] });
  }
}
