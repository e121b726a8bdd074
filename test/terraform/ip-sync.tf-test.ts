// IP sync and alarms applied through `terraform test` (mock aws provider): what the plan cannot
// show because it depends on ARNs (the function's configuration, the IAM policy's resources, the
// alarms' dimensions) checked on the applied values.
import * as fs from "fs";
import * as path from "path";
import { ipSyncStack, synthToDir } from "./harness/scenarios";
import { elbArn, hclString, mockAws, runBlock, Sequence } from "./harness/sequence";
import { terraformAvailable } from "./harness/terraform";

const describeTf = terraformAvailable() ? describe : describe.skip;

describeTf("IP sync and alarms, applied", () => {
  test("the function gets the host targets and their groups, its role writes only to them, alarms watch every group", () => {
    // GIVEN: the stack with two routers with IP sync (synthesized with its Lambda zip)
    const dir = synthToDir(ipSyncStack());
    const config = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
    const seq = new Sequence("ip-sync-apply");
    seq.ws.writeStack(config, { assetsFrom: dir });
    const name = (type: string, prefix: string) => `${type}.${Object.keys(config.resource[type]).find((k) => k.startsWith(prefix))!}`;
    const groups = name("aws_lb_target_group", "Router_");
    const fn = name("aws_lambda_function", "Router_");
    const policy = name("aws_iam_role_policy", "Router_");
    const noHealthy = name("aws_cloudwatch_metric_alarm", "Router_NoHealthyTarget");
    const lb = name("aws_lb", "Router_");
    const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:111122223333:${resource}`;
    const overrides: { [address: string]: { [attr: string]: unknown } } = {};
    for (const target of ["db0", "db1", "erp"]) {
      const tgArn = elbArn("targetgroup", target, target);
      overrides[`${groups}["${target}"]`] = { arn: tgArn, arn_suffix: tgArn.replace(/^.*:(targetgroup\/)/, "$1") };
    }
    overrides[lb] = { arn: elbArn("loadbalancer/net", "router", "router"), arn_suffix: "net/router/0123456789abcdef" };
    const mocks = mockAws(overrides).replace(/^mock_provider "aws" \{/, `mock_provider "aws" {
  mock_resource "aws_lambda_function" {
    defaults = { arn = ${hclString(arn("lambda", "function:ip-sync"))} }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = ${hclString("arn:aws:iam::111122223333:role/ip-sync")} }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = ${hclString(arn("logs", "log-group:/aws/lambda/ip-sync"))} }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = { arn = ${hclString(arn("events", "rule/ip-sync"))} }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }`);
    const targets = `jsondecode(${fn}.environment[0].variables.IP_SYNC_TARGETS)`;
    seq.writeTest("ip_sync.tftest.hcl", [mocks, runBlock({
      name: "apply_the_ip_sync_and_alarms",
      asserts: [
        { condition: `[for t in ${targets} : t.name] == ["db0", "db1"]`, message: "IP_SYNC_TARGETS lists the host targets, not the literal-IP one" },
        { condition: `alltrue([for t in ${targets} : t.targetGroupArn == ${groups}[t.name].arn && t.port == 5432 && t.availabilityZone == "all" && t.host == "\${t.name}.internal.example.com"])`, message: "each entry carries its host, port, zone and target group" },
        { condition: `${fn}.environment[0].variables.IP_SYNC_MISSES == "3" && ${fn}.environment[0].variables.IP_SYNC_DNS_SERVERS == "10.60.0.2,10.60.0.3:5353"`, message: "misses and DNS servers" },
        { condition: `toset(jsondecode(${policy}.policy).Statement[0].Resource) == toset([${groups}["db0"].arn, ${groups}["db1"].arn])`, message: "the role writes only to the host targets' groups" },
        { condition: `jsondecode(${policy}.policy).Statement[1].Resource == "*"`, message: "Describe* on *" },
        { condition: `${noHealthy}["db0"].dimensions.TargetGroup == ${groups}["db0"].arn_suffix && ${noHealthy}["db0"].dimensions.LoadBalancer == "net/router/0123456789abcdef"`, message: "alarm dimensions are the ARN suffixes" },
        { condition: `length(${name("aws_lb_target_group_attachment", "Router_")}) == 1`, message: "Terraform attaches only the literal IP" },
      ],
    })]);
    seq.init();
    // WHEN
    const result = seq.test();
    if (result.status !== 0) throw new Error(result.text);
    // THEN
    expect([result.status, result.summary]).toEqual([0, { status: "pass", passed: 1, failed: 0, errored: 0, skipped: 0 }]);
    expect(result.leftInState).toEqual([]);
  });
});
