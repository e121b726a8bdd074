import * as fs from "fs";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import { App, Testing } from "cdktf";
import { DatabricksServerlessStack } from "../examples/databricks-serverless/stack";
import { ManyDatabasesStack, manyTargets } from "../examples/many-databases/stack";
import { TransparentPortsStack } from "../examples/transparent-ports/stack";
import { synth, tmpDir } from "./helpers";
import { checkInvariants } from "./invariants";

// Every example compiles and synthesizes here, in-process; .ci/run also runs the first one
// through the cdktf CLI (npm run example).

describe("databricks-serverless", () => {
  test("four databases in other accounts, one NCC bound to two workspaces", () => {
    const stack = new DatabricksServerlessStack(Testing.app(), "databricks-serverless");
    const json = synth(stack);
    expect(checkInvariants(json)).toEqual([]);
    expect(stack.router.routes.map((r) => [r.name, r.targetPort, r.listenerPort])).toEqual([
      ["orders", 5432, 10000], ["billing", 3306, 10001], ["erp", 1433, 10002], ["warehouse", 5439, 10003],
    ]);
    expect(Object.values<any>(json.locals).find((l) => l?.workspace_ids)?.workspace_ids)
      .toEqual({ 1234567890123456: 1234567890123456, 2345678901234567: 2345678901234567 });
    expect(Object.keys(json.resource.databricks_mws_ncc_private_endpoint_rule)).toHaveLength(1);
    expect(json.terraform.required_providers.databricks.version).toBe(">= 1.118.0");
    expect(stack.ncc.connections.map((c) => c.address)).toContain("erp.corp.internal:10002");
  });

  test("its committed port map file is up to date", () => {
    const file = path.join(__dirname, "..", "examples", "databricks-serverless", "ports.json");
    const before = fs.readFileSync(file, "utf8");
    Testing.synth(new DatabricksServerlessStack(Testing.app(), "databricks-serverless"));
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  test("the same stack as HCL parses back to the same resources", async () => {
    // As `cdktf synth --hcl` does: the CLI sets SYNTH_HCL_OUTPUT for the app.
    const outdir = tmpDir();
    process.env.SYNTH_HCL_OUTPUT = "true";
    try {
      const app = new App({ outdir });
      new DatabricksServerlessStack(app, "databricks-serverless");
      app.synth();
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
    const hcl = fs.readFileSync(path.join(outdir, "stacks", "databricks-serverless", "cdk.tf"), "utf8");
    const parsed = await parse("cdk.tf", hcl);
    const json = synth(new DatabricksServerlessStack(Testing.app(), "databricks-serverless"));
    const names = (o: any) => Object.fromEntries(Object.entries<any>(o).map(([type, byId]) => [type, Object.keys(byId).sort()]));
    expect(names(parsed.resource)).toEqual(names(json.resource));
    expect(names(parsed.data)).toEqual(names(json.data));
    expect(Object.keys(parsed.locals[0]).sort()).toEqual(Object.keys(json.locals).sort());
    // nulls survive (written as the expression ${null}); lifecycle conditions are left out of HCL
    const targets = Object.entries<any>(parsed.locals[0]).find(([k]) => k.includes("_targets_"))![1];
    expect(targets.erp.host).toBeNull();
    expect(hcl).toMatch(/host += "\$\{null\}"/);
    expect(hcl).not.toContain("postcondition =");
    expect(hcl).not.toContain("precondition =");
  });
});

describe("transparent-ports", () => {
  test("two PostgreSQL databases on 5432 land in two shards with their own ports and rules", () => {
    const stack = new TransparentPortsStack(Testing.app(), "transparent-ports");
    const json = synth(stack);
    expect(checkInvariants(json)).toEqual([]);
    expect(stack.router.routes.map((r) => [r.name, r.listenerPort, r.shard])).toEqual([["sales", 5432, 0], ["hr", 5432, 1]]);
    expect(Object.values<any>(json.resource.databricks_mws_ncc_private_endpoint_rule).map((r) => r.domain_names)).toEqual([
      ["sales.cluster-a1b2c3d4e5f6.eu-west-1.rds.amazonaws.com"], ["hr.cluster-a1b2c3d4e5f6.eu-west-1.rds.amazonaws.com"],
    ]);
    expect(stack.ncc.connections.map((c) => c.address)).toEqual([
      "sales.cluster-a1b2c3d4e5f6.eu-west-1.rds.amazonaws.com:5432", "hr.cluster-a1b2c3d4e5f6.eu-west-1.rds.amazonaws.com:5432",
    ]);
  });
});

describe("many-databases", () => {
  const committed = path.join(__dirname, "..", "examples", "many-databases", "ports.json");

  test("120 databases in 12 shards of 10, one rule each, matching the committed port map", () => {
    const before = fs.readFileSync(committed, "utf8");
    const stack = new ManyDatabasesStack(Testing.app(), "many-databases");
    const json = synth(stack);
    expect(checkInvariants(json, { maxTargets: 10, egressCidrs: ["10.60.0.0/16", "10.61.0.0/16"] })).toEqual([]);
    expect(stack.router.shards).toHaveLength(12);
    expect(Object.keys(json.resource.databricks_mws_ncc_private_endpoint_rule)).toHaveLength(12);
    expect(fs.readFileSync(committed, "utf8")).toBe(before);
    const recorded = JSON.parse(before).targets;
    for (const r of stack.router.routes) expect(recorded[r.name]).toEqual({ listenerPort: r.listenerPort, shard: r.shard });
  });

  test("removing a tenant keeps every other tenant's port and shard", () => {
    const file = path.join(tmpDir(), "ports.json");
    fs.copyFileSync(committed, file);
    const targets = manyTargets().filter((t) => t.name !== "tenant-042");
    const stack = new ManyDatabasesStack(Testing.app(), "many-databases", { targets, portMapFile: file });
    Testing.synth(stack);
    const recorded = JSON.parse(fs.readFileSync(committed, "utf8")).targets;
    for (const r of stack.router.routes) expect(recorded[r.name]).toEqual({ listenerPort: r.listenerPort, shard: r.shard });
    expect(JSON.parse(fs.readFileSync(file, "utf8")).retired).toEqual({ "tenant-042": recorded["tenant-042"] });
  });
});
