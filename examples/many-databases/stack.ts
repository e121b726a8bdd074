import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DatabricksNcc, PrivateLinkRouter, RouterTarget } from "../../src";

/** The 120 databases of this example: tenant databases of one RDS fleet. */
export function manyTargets(count = 120): RouterTarget[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    return { name: `tenant-${n}`, host: `tenant-${n}.c9z8y7x6w5v4.us-east-1.rds.amazonaws.com`, port: 5432 };
  });
}

/**
 * 120 databases: 12 shards of 10 (Databricks allows 10 domain names per private endpoint
 * rule, and each host is a domain name), 12 of the region's 30 private endpoint rules. The
 * port map file beside this file records every port and shard, so removing or reordering
 * tenants never moves another tenant's port.
 */
export class ManyDatabasesStack extends TerraformStack {
  public readonly router: PrivateLinkRouter;
  public readonly ncc: DatabricksNcc;

  constructor(scope: Construct, id: string, options: { targets?: RouterTarget[]; portMapFile?: string } = {}) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
    const databricks = new DatabricksProvider(this, "databricks", {
      alias: "account",
      host: "https://accounts.cloud.databricks.com",
      accountId: process.env.DATABRICKS_ACCOUNT_ID ?? "00000000-0000-0000-0000-000000000000",
    });
    this.router = new PrivateLinkRouter(this, "Router", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0123456789abc0001", "subnet-0123456789abc0002", "subnet-0123456789abc0003"],
      serviceName: "tenants",
      maxTargetsPerLoadBalancer: 10,
      portMapFile: options.portMapFile ?? "examples/many-databases/ports.json",
      // One rule per CIDR and port instead of one per tenant IP: the fleet lives in two VPCs.
      egressCidrs: ["10.60.0.0/16", "10.61.0.0/16"],
      targets: options.targets ?? manyTargets(),
    });
    this.ncc =
      new DatabricksNcc(this, "Ncc",
        { region: "us-east-1", provider: databricks, workspaceIds: [4567890123456789], routers: [this.router] });
  }
}
