// IP sync and alarms applied through `terraform test` (mock aws provider): what the plan cannot
// show because it depends on ARNs (the function's configuration, the IAM policy's resources, the
// alarms' dimensions, the event bus policy's principals, the forwarding output) checked on the
// applied values.
import * as fs from "fs";
import * as path from "path";
import { ipSyncStack, synthToDir } from "./harness/scenarios";
import { elbArn, hclString, mockAws, runBlock, Sequence } from "./harness/sequence";
import { terraformAvailable } from "./harness/terraform";

const describeTf = terraformAvailable() ? describe : describe.skip;

describeTf("IP sync and alarms, applied", () => {
  test("the function gets the host targets and their groups, its role writes only to them, RDS events reach it, alarms watch every way a route breaks", () => {
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
  mock_resource "aws_cloudwatch_event_bus" {
    defaults = { arn = ${hclString(arn("events", "event-bus/other-rds-events"))} }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }`);
    const targets = `jsondecode(${fn}.environment[0].variables.IP_SYNC_TARGETS)`;
    const alarm = (id: string) => name("aws_cloudwatch_metric_alarm", `Router_${id}`);
    const service0 = name("aws_vpc_endpoint_service", "Router_Shard0");
    const rule = name("aws_cloudwatch_event_rule", "Router_IpSync_DatabaseEvents");
    const busPolicy = name("aws_cloudwatch_event_bus_policy", "Other_IpSync_");
    const bus = name("aws_cloudwatch_event_bus", "Other_IpSync_");
    const errorLines = name("aws_cloudwatch_log_metric_filter", "Router_TargetErrorLines");
    const forwarding = Object.keys(config.output).find((k) => /^Other_.*rds_event_forwarding/.test(k))!;
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
        { condition: `jsondecode(${rule}.event_pattern).source == ["aws.rds"] && contains(jsondecode(${rule}.event_pattern).detail.EventID, "RDS-EVENT-0071")`, message: "the same-account rule matches RDS failover events (its bus: plan.tf-test.ts)" },
        { condition: `jsondecode(${busPolicy}.policy).Statement[0].Principal.AWS == ["arn:aws:iam::111122223333:root", "arn:aws:iam::012345678901:root"]`, message: "the bus policy admits exactly the given accounts" },
        { condition: `jsondecode(${busPolicy}.policy).Statement[0].Resource == ${bus}.arn && jsondecode(${busPolicy}.policy).Statement[0].Action == "events:PutEvents"`, message: "to put events on this bus only" },
        { condition: `output.${forwarding}.event_bus_arn == ${bus}.arn && output.${forwarding}.accounts == ["111122223333", "012345678901"] && jsondecode(output.${forwarding}.event_pattern).source == ["aws.rds"]`, message: "the forwarding output names the bus, the accounts and the pattern" },
        { condition: `strcontains(output.${forwarding}.line, ${bus}.arn)`, message: "its line names the target bus" },
        { condition: `${alarm("EndpointDisconnected")}["0"].namespace == "AWS/PrivateLinkServices" && ${alarm("EndpointDisconnected")}["0"].metric_name == "EndpointsCount" && ${alarm("EndpointDisconnected")}["0"].dimensions["Service Id"] == ${service0}.id`, message: "the shard alarm watches its endpoint service's EndpointsCount" },
        { condition: `${alarm("NoNewConnections")}["0"].metric_name == "NewConnections" && ${alarm("NoNewConnections")}["0"].dimensions["Service Id"] == ${service0}.id && ${alarm("NoNewConnections")}["0"].period == 3600`, message: "no new connections for 60 minutes" },
        { condition: `${alarm("FunctionErrors")}.namespace == "AWS/Lambda" && ${alarm("FunctionErrors")}.metric_name == "Errors" && ${alarm("FunctionErrors")}.dimensions.FunctionName == ${fn}.function_name`, message: "the function's Errors metric" },
        { condition: `${alarm("TargetErrors")}.namespace == ${errorLines}.metric_transformation[0].namespace && ${alarm("TargetErrors")}.metric_name == ${errorLines}.metric_transformation[0].name && ${errorLines}.log_group_name == "/aws/lambda/\${${fn}.function_name}"`, message: "the error-line alarm reads the metric its filter writes from the function's log group" },
        { condition: `${alarm("NoSuccessfulRun")}.metric_name == "Runs" && ${alarm("NoSuccessfulRun")}.period == 60 && ${alarm("NoSuccessfulRun")}.evaluation_periods == 3`, message: "no completed run for three one-minute schedule periods" },
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
