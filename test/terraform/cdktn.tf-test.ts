// CDK Terrain in the Terraform loop: the cdktn example, synthesized by the real cdktn CLI
// (npm run example:cdktn), inits, validates and plans offline, and plans what its cdktf twin plans.
import { execFileSync } from "child_process";
import * as path from "path";
import { config, removeApps, ROOT, synthApp } from "../cdktn/twins";
import { defaultDns } from "./harness/scenarios";
import { planned, plannedResources, terraformAvailable, Workspace } from "./harness/terraform";

const describeTf = terraformAvailable() ? describe : describe.skip;

/** init, validate and plan of a synthesized stack folder (with its assets): the plan. */
function planStack(name: string, stackDir: string): any {
  const json = config(stackDir);
  const ws = new Workspace(name);
  ws.writeStack(json, { assetsFrom: stackDir });
  ws.setDns(defaultDns(json));
  ws.init();
  const validation = ws.validate();
  if (!validation.valid) throw new Error(`terraform validate: ${JSON.stringify(validation.diagnostics, null, 2)}`);
  return ws.plan();
}

describeTf("CDK Terrain", () => {
  afterAll(removeApps);

  test("the cdktn example synthesized by cdktn-cli plans the resources and values its cdktf twin plans", () => {
    // GIVEN: the example through the cdktn CLI, and the same program as a cdktf app
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "example-cdktn.js")], { cwd: ROOT, stdio: "pipe" });
    const cdktnDir = path.join(ROOT, "examples", "cdktn-serverless", "cdktf.out", "stacks", "cdktn-serverless");
    const cdktfDir = synthApp("cdktn-serverless", "cdktn", "cdktf");
    // WHEN
    const plans = { cdktn: planStack("cdktn-example", cdktnDir), cdktf: planStack("cdktn-example-cdktf-twin", cdktfDir) };
    // THEN
    const values = (plan: any) => Object.fromEntries(Object.entries(plannedResources(plan)).map(([address, r]) => [address, r.values]));
    expect(Object.keys(values(plans.cdktn)).sort()).toEqual(Object.keys(values(plans.cdktf)).sort());
    expect(values(plans.cdktn)).toEqual(values(plans.cdktf));
    // what the example makes: one NLB, three listeners, the IP sync function on a schedule and on RDS
    // events (its own and a forwarding bus), two alarms per target, one for the shard, three for the IP sync
    expect(planned(plans.cdktn, "aws_lb")).toHaveLength(1);
    expect(planned(plans.cdktn, "aws_lb_listener")).toHaveLength(3);
    expect(planned(plans.cdktn, "aws_lambda_function").map((f) => f.values.runtime)).toEqual(["nodejs22.x"]);
    expect(planned(plans.cdktn, "aws_cloudwatch_metric_alarm")).toHaveLength(3 * 2 + 1 + 3);
    expect(planned(plans.cdktn, "aws_cloudwatch_event_rule")).toHaveLength(3);
    expect(planned(plans.cdktn, "aws_cloudwatch_event_bus")).toHaveLength(1);
    expect(planned(plans.cdktn, "databricks_mws_ncc_private_endpoint_rule")).toHaveLength(1);
  });
});
