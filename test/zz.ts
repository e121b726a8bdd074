import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { App, TerraformStack } from "cdktf";
import { DatabricksNcc, PrivateLinkRouter } from "../src";
import * as fs from "fs";
const app = new App({ outdir: "/tmp/scratch/out" });
const net = new TerraformStack(app, "network");
new AwsProvider(net, "aws", { region: "us-east-1" });
const r = new PrivateLinkRouter(net, "Router", { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], maxTargetsPerLoadBalancer: 2, targets: [{ name: "a", host: "a.corp.internal", port: 5432 }, { name: "b", host: "b.corp.internal", port: 5432 }] });
const dbx = new TerraformStack(app, "databricks");
const aws = new AwsProvider(dbx, "aws", { region: "us-east-1" });
const d = new DatabricksProvider(dbx, "databricks", { host: "https://accounts.cloud.databricks.com", accountId: "00000000-0000-0000-0000-000000000000" });
const n = new DatabricksNcc(dbx, "Ncc", { region: "us-east-1", provider: d, awsProvider: aws, routers: [r], workspaceIds: [1234567890123456] });
r.addTarget({ name: "c", host: "c.corp.internal", port: 5432 });
app.synth();
for (const s of ["network", "databricks"]) {
  const j = JSON.parse(fs.readFileSync(`/tmp/scratch/out/stacks/${s}/cdk.tf.json`, "utf8"));
  console.log("==", s, Object.keys(j.output ?? {}), Object.keys(j.data ?? {}));
  if (s === "databricks") { console.log(JSON.stringify(j.resource.databricks_mws_ncc_private_endpoint_rule, null, 1)); console.log(JSON.stringify(j.data.terraform_remote_state, null, 1)); console.log(JSON.stringify(Object.entries(j.locals).filter(([k]) => /services/.test(k)))); console.log(JSON.stringify(j.resource.aws_vpc_endpoint_connection_accepter, null, 1).slice(0, 800)); }
}
console.log(n.connections.length);
