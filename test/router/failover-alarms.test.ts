// The RDS event triggers of `ipSync` (same-account rule; cross-account bus, policy, rule and the
// forwarding output) and the alarms for every way a route breaks (per shard, and the IP sync's
// own), checked on the synthesized JSON; Terraform checks the applied values (ip-sync.tf-test.ts).
import { TerraformStack, TerraformVariable } from "cdktf";
import { IpSyncOptions, PrivateLinkRouter, PrivateLinkRouterProps, RouterAlarmOptions } from "../../src";
import { rdsEventPattern } from "../../src/ip-sync/events";
import { all, dnsTargets, newStack, routerProps, synth } from "../helpers";

let stack: TerraformStack;
beforeEach(() => {
  ({ stack } = newStack({ databricks: false }));
});

const TOPIC = "arn:aws:sns:us-east-1:123456789012:db-alerts";
const make = (ipSync: IpSyncOptions | undefined, alarms?: RouterAlarmOptions, extra: Partial<PrivateLinkRouterProps> = {}) =>
  new PrivateLinkRouter(stack, "Router", routerProps({ egressCidrs: ["10.20.0.0/16"], ipSync, alarms, targets: dnsTargets(2), ...extra }));
const byKey = (json: any, type: string, part: string) => {
  const entry = Object.entries<any>(json.resource?.[type] ?? {}).find(([k]) => k.includes(part));
  if (!entry) throw new Error(`no ${type} ${part}`);
  return entry[1];
};

describe("RDS events run the IP sync", () => {
  test("by default a rule on the default bus runs the function on the RDS events that move an address", () => {
    make({});
    const json = synth(stack);
    const rule = byKey(json, "aws_cloudwatch_event_rule", "DatabaseEvents");
    expect(rule.event_bus_name).toBeUndefined();
    expect(JSON.parse(rule.event_pattern)).toEqual(rdsEventPattern());
    expect(rule.name).toMatch(/^[A-Za-z0-9-]{1,64}$/);
    const target = byKey(json, "aws_cloudwatch_event_target", "DatabaseEventsTarget");
    expect(target.arn).toMatch(/aws_lambda_function\.Router_IpSync_Function_[0-9A-F]+\.arn/);
    expect(byKey(json, "aws_lambda_permission", "AllowDatabaseEvents")).toMatchObject({ principal: "events.amazonaws.com", source_arn: expect.stringMatching(/IpSync_DatabaseEvents_[0-9A-F]+\.arn/) });
    expect(json.resource.aws_cloudwatch_event_bus).toBeUndefined();
    expect(JSON.stringify(json.output ?? {})).not.toContain("rds_event_forwarding");
  });

  test("syncOnDatabaseEvents: false leaves the schedule alone", () => {
    make({ syncOnDatabaseEvents: false });
    const rules = all(synth(stack), "aws_cloudwatch_event_rule");
    expect(rules.map((r) => r.schedule_expression)).toEqual(["rate(1 minute)"]);
  });

  test("eventSourceAccounts: a bus admitting those accounts, a rule on it, and the output for the database owners", () => {
    make({ eventSourceAccounts: ["111122223333", "012345678901"] });
    const json = synth(stack);
    const bus = byKey(json, "aws_cloudwatch_event_bus", "DatabaseEventBus");
    expect(bus.name).toMatch(/^[A-Za-z0-9-]{1,64}$/);
    const policy = byKey(json, "aws_cloudwatch_event_bus_policy", "DatabaseEventBusPolicy");
    expect(policy.event_bus_name).toMatch(/aws_cloudwatch_event_bus\.Router_IpSync_DatabaseEventBus_[0-9A-F]+\.name/);
    expect(policy.policy).toContain('"Action" = "events:PutEvents"');
    expect(policy.policy).toMatch(/"AWS" = \[for a in local\.Router_IpSync_settings_[0-9A-F]+\.event_source_accounts : "arn:\$\{data\.aws_partition\.\w+\.partition\}:iam::\$\{a\}:root"\]/);
    const forwarded = byKey(json, "aws_cloudwatch_event_rule", "ForwardedDatabaseEvents");
    expect(forwarded.event_bus_name).toMatch(/DatabaseEventBus_[0-9A-F]+\.name/);
    expect(JSON.parse(forwarded.event_pattern)).toEqual(rdsEventPattern());
    expect(byKey(json, "aws_cloudwatch_event_target", "ForwardedDatabaseEventsTarget").event_bus_name).toBe(forwarded.event_bus_name);
    const [name, output] = Object.entries<any>(json.output).find(([k]) => k.includes("rds_event_forwarding"))!;
    expect(name).toMatch(/rds_event_forwarding/);
    expect(JSON.parse(output.value.event_pattern)).toEqual(rdsEventPattern());
    expect(output.value.line).toContain("add an EventBridge rule on the default event bus");
    expect(Object.values<any>(json.locals).find((l) => l.event_source_accounts)?.event_source_accounts).toEqual(["111122223333", "012345678901"]);
  });

  test("accounts from a variable reach the policy as a token list", () => {
    const accounts = new TerraformVariable(stack, "accounts", { type: "list(string)" });
    make({ eventSourceAccounts: accounts.listValue });
    const json = synth(stack);
    expect(Object.values<any>(json.locals).find((l) => l.event_source_accounts)?.event_source_accounts).toBe("${var.accounts}");
  });

  test.each([
    [["111122223333"], undefined],
    [Array.from({ length: 100 }, (_, i) => String(100000000000 + i)), undefined],
    [[], /`ipSync\.eventSourceAccounts` lists 0 accounts/],
    [Array.from({ length: 101 }, (_, i) => String(100000000000 + i)), /lists 101 accounts/],
    [["11112222333"], /`ipSync\.eventSourceAccounts\[0\]` must be a 12-digit AWS account id like 111122223333 \(got "11112222333"\)/],
    [["1111-2222-3333"], /`ipSync\.eventSourceAccounts\[0\]` must be a 12-digit AWS account id/],
    [[111122223333 as any], /must be a 12-digit AWS account id like 111122223333 \(got 111122223333\)/],
    [["111122223333", "111122223333"], /lists "111122223333" twice; list each account once/],
  ])("eventSourceAccounts %j", (accounts, error) => {
    const build = () => make({ eventSourceAccounts: accounts });
    if (error) expect(build).toThrow(error);
    else expect(build).not.toThrow();
  });

  test("eventSourceAccounts with syncOnDatabaseEvents: false is a contradiction", () => {
    expect(() => make({ syncOnDatabaseEvents: false, eventSourceAccounts: ["111122223333"] }))
      .toThrow(/test\/Router: `ipSync\.eventSourceAccounts` is set but `ipSync\.syncOnDatabaseEvents` is false/);
  });
});

/** An alarm description's text, interpolations as X: what broke, a colon, the effect, a semicolon, what to do. */
const oneSentence = (description: string) => description.replace(/^\$\{"(.*)"\}$/, "$1").replace(/\$\{[^}]*\}/g, "X");

describe("alarms for every way a route breaks", () => {
  test("per shard: the endpoint connection gone (EndpointsCount missing or below 1), notifying on ALARM and INSUFFICIENT_DATA", () => {
    make(undefined, { actions: [TOPIC] }, { maxTargetsPerLoadBalancer: 1 });
    const json = synth(stack);
    const alarm = byKey(json, "aws_cloudwatch_metric_alarm", "EndpointDisconnected");
    expect(alarm).toMatchObject({
      namespace: "AWS/PrivateLinkServices", metric_name: "EndpointsCount", statistic: "Maximum", period: 300,
      comparison_operator: "LessThanThreshold", threshold: 1, treat_missing_data: "missing",
      alarm_actions: [TOPIC], ok_actions: [TOPIC], insufficient_data_actions: [TOPIC],
    });
    expect(alarm.dimensions).toEqual({ "Service Id": "${each.value.service_id}" });
    const shards = Object.entries<any>(json.locals).find(([k]) => k.includes("alarm_shards"))![1];
    expect(Object.keys(shards)).toEqual(["0", "1"]);
    expect(shards["1"].service_id).toMatch(/^\$\{aws_vpc_endpoint_service\.Router_Shard1_EndpointService_[0-9A-F]+\.id\}$/);
    expect(alarm.alarm_description).toContain("re-apply the NCC stack");
    expect(json.resource.aws_cloudwatch_metric_alarm).not.toHaveProperty([expect.stringContaining("NoNewConnections")]);
  });

  test("optionally, no new connections for the minutes given", () => {
    make(undefined, { actions: [TOPIC], noNewConnectionsMinutes: 30 });
    const alarm = byKey(synth(stack), "aws_cloudwatch_metric_alarm", "NoNewConnections");
    expect(alarm).toMatchObject({ metric_name: "NewConnections", statistic: "Sum", period: 1800, evaluation_periods: 1, treat_missing_data: "breaching" });
    expect(alarm.alarm_description).toContain("for 30 minutes");
  });

  test.each([[4, false], [5, true], [1440, true], [1441, false], [7.5, false]])("noNewConnectionsMinutes %p is accepted: %s", (n, ok) => {
    const build = () => make(undefined, { actions: [TOPIC], noNewConnectionsMinutes: n });
    if (ok) expect(build).not.toThrow();
    else expect(build).toThrow(/`alarms\.noNewConnectionsMinutes` must be a whole number from 5 to 1440/);
  });

  test("noNewConnectionsMinutes from a variable: a clear error (it sets the period)", () => {
    const minutes = new TerraformVariable(stack, "minutes", { type: "number" });
    expect(() => make(undefined, { actions: [TOPIC], noNewConnectionsMinutes: minutes.numberValue })).toThrow(/must be a literal number/);
  });

  test("with ipSync: function errors, target errors (metric filter on error lines), no completed run in three schedule periods", () => {
    make({ schedule: "rate(5 minutes)" }, { actions: [TOPIC], evaluationPeriods: 3 });
    const json = synth(stack);
    const filters = all(json, "aws_cloudwatch_log_metric_filter").sort((a, b) => a.pattern.localeCompare(b.pattern));
    expect(filters.map((f) => [f.pattern, f.metric_transformation.name])).toEqual([['{ $.event = "error" }', "TargetErrors"], ['{ $.event = "summary" }', "Runs"]]);
    for (const f of filters) {
      expect(f.log_group_name).toMatch(/aws_cloudwatch_log_group\.Router_IpSync_Logs_[0-9A-F]+\.name/);
      expect(f.metric_transformation).toMatchObject({ namespace: expect.stringMatching(/^PrivateLinkRouter\/privatelink-router-ip-sync-[0-9a-f]{6}$/), value: "1", default_value: "0" });
    }
    const fn = byKey(json, "aws_cloudwatch_metric_alarm", "FunctionErrors");
    expect(fn).toMatchObject({ namespace: "AWS/Lambda", metric_name: "Errors", statistic: "Sum", evaluation_periods: 3, comparison_operator: "GreaterThanThreshold", threshold: 0 });
    expect(fn.dimensions.FunctionName).toMatch(/aws_lambda_function\.Router_IpSync_Function_[0-9A-F]+\.function_name/);
    expect(byKey(json, "aws_cloudwatch_metric_alarm", "TargetErrors")).toMatchObject({ metric_name: "TargetErrors", namespace: filters[0].metric_transformation.namespace });
    expect(byKey(json, "aws_cloudwatch_metric_alarm", "NoSuccessfulRun")).toMatchObject({
      metric_name: "Runs", period: 300, evaluation_periods: 3, comparison_operator: "LessThanThreshold", threshold: 1, treat_missing_data: "breaching",
    });
    for (const a of all(json, "aws_cloudwatch_metric_alarm")) {
      expect(a.alarm_actions).toEqual([TOPIC]);
      expect(oneSentence(a.alarm_description)).toMatch(/^[A-Z][^.]*: [^.]*; [^.]*\.$/);
    }
  });

  test.each([
    ["rate(1 minute)", 60], ["rate(15 minutes)", 900], ["rate(2 hours)", 7200], ["rate(1 day)", 86400], ["cron(0/2 * * * ? *)", 3600],
  ])("schedule %s: the no-run alarm's period is %i s", (schedule, period) => {
    make({ schedule }, { actions: [TOPIC] });
    expect(byKey(synth(stack), "aws_cloudwatch_metric_alarm", "NoSuccessfulRun").period).toBe(period);
  });

  test("a schedule from a variable: Terraform computes the period by the same rule (the token plan equals the literal's: plan.tf-test.ts)", () => {
    const schedule = new TerraformVariable(stack, "schedule", { type: "string" });
    make({ schedule: schedule.stringValue }, { actions: [TOPIC] });
    const period = byKey(synth(stack), "aws_cloudwatch_metric_alarm", "NoSuccessfulRun").period;
    expect(period).toMatch(/^\$\{try\(tonumber\(regex\("\^rate\[\(\]\(\[0-9\]\+\) \(minute\|hour\|day\)s\?\[\)\]\$", local\.Router_IpSync_settings_[0-9A-F]+\.schedule\)\[0\]\) \* \{ minute = 60, hour = 3600, day = 86400 \}\[regex\(/);
    expect(period).toMatch(/, 3600\)\}$/);
  });

  test("without ipSync there are no IP sync alarms or metric filters", () => {
    make(undefined, { actions: [TOPIC] });
    const json = synth(stack);
    expect(json.resource.aws_cloudwatch_log_metric_filter).toBeUndefined();
    expect(all(json, "aws_cloudwatch_metric_alarm").map((a) => a.namespace).sort()).toEqual(["AWS/NetworkELB", "AWS/NetworkELB", "AWS/PrivateLinkServices"]);
  });
});
