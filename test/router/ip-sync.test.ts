import { TerraformStack, Testing } from "cdktf";
import { IpSyncOptions, PrivateLinkRouter, PrivateLinkRouterProps, ValidationError } from "../../src";
import { all, dnsTargets, local, newStack, only, routerProps, synth } from "../helpers";

let stack: TerraformStack;
beforeEach(() => {
  ({ stack } = newStack({ databricks: false }));
});

const EGRESS = ["10.20.0.0/16"];
const withIpSync = (ipSync: IpSyncOptions = {}, extra: Partial<PrivateLinkRouterProps> = {}) =>
  new PrivateLinkRouter(stack, "Router", routerProps({ egressCidrs: EGRESS, ipSync, targets: [...dnsTargets(2), { name: "erp", ips: ["10.20.1.7"], port: 1433 }], ...extra }));

describe("ipSync", () => {
  test("Terraform no longer resolves or attaches host targets; literal IPs stay attached", () => {
    // GIVEN / WHEN
    withIpSync();
    const json = synth(stack);
    // THEN
    expect(json.data?.dns_a_record_set).toBeUndefined();
    expect(json.provider?.dns).toBeUndefined();
    expect(local(json, "target_ips")).not.toContain("dns_a_record_set");
    expect(local(json, "target_ips")).toMatch(/^\$\{merge\(local\.Router_literal_ips_[0-9A-F]+\)\}$/);
  });

  test("a Node.js 22 function in the router's subnets, one run at a time, on a one-minute schedule and RDS events, run once during apply", () => {
    withIpSync({ deregisterAfterMisses: 3 });
    const json = synth(stack);
    const fn = only(json, "aws_lambda_function");
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "handler.handler", reserved_concurrent_executions: 1, timeout: 122 });
    expect(fn.vpc_config.subnet_ids).toEqual(routerProps().subnetIds);
    expect(fn.environment.variables.IP_SYNC_MISSES).toBe("3");
    expect(fn.environment.variables.IP_SYNC_TARGETS).toMatch(/^\$\{jsonencode\(\[for k, t in local\.Router_targets_[0-9A-F]+ : \{ name = k, host = t\.host, port = t\.port, targetGroupArn = aws_lb_target_group\.Router_TargetGroup_[0-9A-F]+\[k\]\.arn, availabilityZone = t\.availability_zone \} if t\.host != null\]\)\}$/);
    expect(fn.filename).toMatch(/^assets\/.*\.zip$/);
    expect(all(json, "aws_cloudwatch_event_rule").map((r) => r.schedule_expression ?? r.event_pattern.slice(0, 22)).sort()).toEqual(["rate(1 minute)", '{"source":["aws.rds"],'].sort());
    expect(only(json, "aws_lambda_function_event_invoke_config")).toMatchObject({ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 0 });
    expect(only(json, "aws_lambda_invocation").triggers.configuration).toMatch(/^\$\{sha256\(jsonencode\(/);
    expect(only(json, "aws_cloudwatch_log_group").retention_in_days).toBe(30);
  });

  test("its role writes only to the router's host target groups; Describe* (not scopable) on *", () => {
    withIpSync();
    const policy = only(synth(stack), "aws_iam_role_policy").policy;
    expect(policy).toContain('"Action" = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], "Resource" = [for k, tg in aws_lb_target_group.');
    expect(policy).toContain(": tg.arn if local.Router_targets_");
    expect(policy).toContain('"Action" = ["elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags"], "Resource" = "*"');
  });

  test("by default it gets its own ELB API endpoint, reached on 443 from its security group only", () => {
    withIpSync();
    const json = synth(stack);
    expect(only(json, "aws_vpc_endpoint")).toMatchObject({ vpc_endpoint_type: "Interface", private_dns_enabled: true });
    expect(only(json, "aws_vpc_security_group_ingress_rule")).toMatchObject({ from_port: 443, ip_protocol: "tcp", referenced_security_group_id: expect.stringMatching(/IpSync_SecurityGroup/) });
    expect(JSON.stringify(json)).not.toContain("0.0.0.0/0");
  });

  test("without the endpoint, 443 goes to apiEgressCidrs only; DNS servers get port 53", () => {
    withIpSync({ createElbEndpoint: false, apiEgressCidrs: ["10.0.128.0/24"], dnsServers: ["10.0.0.2"] });
    const json = synth(stack);
    expect(json.resource.aws_vpc_endpoint).toBeUndefined();
    expect(local(json, "IpSync_settings")).toEqual({ dns_servers: ["10.0.0.2"], dns_server_keys: { "10.0.0.2": "10.0.0.2" }, api_egress_cidrs: { "10.0.128.0/24": "10.0.128.0/24" }, event_source_accounts: [], schedule: "rate(1 minute)" });
    const rules = all(json, "aws_vpc_security_group_egress_rule").filter((r) => /IpSync/.test(r.security_group_id));
    expect(rules.map((r) => r.from_port).sort()).toEqual([443, 53, 53]);
  });

  test.each([
    ["rate(1 minute)", true], ["rate(2 minutes)", true], ["rate(1 hour)", true], ["cron(0/2 * * * ? *)", true],
    ["rate(1 minutes)", false], ["rate(0 minutes)", false], ["every minute", false], ["cron(* * *)", false],
  ])("schedule %p is accepted: %s", (schedule, ok) => {
    const make = () => withIpSync({ schedule });
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(/`ipSync\.schedule` must be an EventBridge schedule/);
  });

  test.each([[0, false], [1, true], [100, true], [101, false], [1.5, false]])("deregisterAfterMisses %p is accepted: %s", (n, ok) => {
    const make = () => withIpSync({ deregisterAfterMisses: n });
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(/`ipSync\.deregisterAfterMisses` must be a whole number from 1 to 100/);
  });

  test.each([
    [["10.0.0.2"], true], [["10.0.0.2:53"], true], [["10.0.0.2:65535"], true], [["1.1.1.1", "2.2.2.2", "3.3.3.3"], true],
    [["10.0.0.2:0"], false], [["10.0.0.2:65536"], false], [["dns.local"], false], [["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"], false],
  ])("dnsServers %p are accepted: %s", (dnsServers, ok) => {
    const make = () => withIpSync({ dnsServers });
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(ValidationError);
  });

  test("throws when egressCidrs is missing", () => {
    expect(() => new PrivateLinkRouter(stack, "Router", routerProps({ ipSync: {}, targets: dnsTargets(1) })))
      .toThrow(/test\/Router: `ipSync` needs `egressCidrs`: per-IP egress rules are written at plan time and cannot follow the IPs the function registers/);
  });

  test("throws when the endpoint is turned off without apiEgressCidrs, or apiEgressCidrs is given with it", () => {
    expect(() => withIpSync({ createElbEndpoint: false })).toThrow(/`ipSync\.createElbEndpoint` is false but `ipSync\.apiEgressCidrs` is not set/);
    ({ stack } = newStack({ databricks: false }));
    expect(() => withIpSync({ apiEgressCidrs: ["10.0.0.0/24"] })).toThrow(/`ipSync\.apiEgressCidrs` is only for `createElbEndpoint: false`/);
  });

  test("throws when apiEgressCidrs opens everything", () => {
    expect(() => withIpSync({ createElbEndpoint: false, apiEgressCidrs: ["0.0.0.0/0"] })).toThrow(/`ipSync\.apiEgressCidrs\[0\]` must not be 0\.0\.0\.0\/0/);
  });

  test("throws when its subnets are empty or malformed", () => {
    expect(() => withIpSync({ subnetIds: [] })).toThrow(/`ipSync\.subnetIds` is empty/);
    ({ stack } = newStack({ databricks: false }));
    expect(() => withIpSync({ subnetIds: ["sn-1"] })).toThrow(/`ipSync\.subnetIds\[0\]` must be a subnet id/);
  });
});

describe("alarms", () => {
  const TOPIC = "arn:aws:sns:us-east-1:123456789012:db-alerts";

  test("two alarms per target group with the NLB and target group ARN suffixes as dimensions", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(2), alarms: { actions: [TOPIC] } }));
    const json = synth(stack);
    const alarms = all(json, "aws_cloudwatch_metric_alarm").filter((a) => a.namespace === "AWS/NetworkELB");
    expect(alarms.map((a) => a.metric_name).sort()).toEqual(["HealthyHostCount", "UnHealthyHostCount"]);
    for (const a of alarms) {
      expect(a.for_each).toMatch(/^\$\{local\.Router_targets_[0-9A-F]+\}$/);
      expect(a).toMatchObject({ namespace: "AWS/NetworkELB", evaluation_periods: 2, alarm_actions: [TOPIC], ok_actions: [TOPIC] });
      expect(a.dimensions.TargetGroup).toMatch(/^\$\{local\.Router_target_groups_[0-9A-F]+\[each\.key\]\.arn_suffix\}$/);
      expect(a.alarm_name).toMatch(/^\$\{"\$\{local\.Router_target_groups_[0-9A-F]+\[each\.key\]\.name\}-(no-healthy|unhealthy)-target"\}$/);
      expect(a.dimensions.LoadBalancer).toMatch(/\[tostring\(each\.value\.shard\)\]\.load_balancer_arn_suffix\}$/);
    }
    expect(Testing.synth(stack)).toContain("load_balancer_arn_suffix");
  });

  test.each([[0, false], [1, true], [60, true], [61, false]])("evaluationPeriods %p is accepted: %s", (n, ok) => {
    const make = () => new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(1), alarms: { actions: [TOPIC], evaluationPeriods: n } }));
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(/`alarms\.evaluationPeriods` must be a whole number from 1 to 60/);
  });

  test.each([
    [[], /`alarms\.actions` must list at least one SNS topic ARN/],
    [["arn:aws:sqs:us-east-1:123456789012:q"], /`alarms\.actions\[0\]` must be an SNS topic ARN/],
  ])("throws when actions are %p", (actions, message) => {
    expect(() => new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(1), alarms: { actions } }))).toThrow(message);
  });
});
