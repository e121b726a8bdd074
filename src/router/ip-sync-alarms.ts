// The IP sync's alarms (`ipSync` with `alarms`): the function failing (its `Errors` metric), a
// target failing (a metric filter on its `"event": "error"` log lines), and no completed run for
// three schedule periods (a metric filter on its summary lines), with the router's SNS actions.
import { CloudwatchLogMetricFilter } from "@cdktf/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { expression } from "../core/expressions";
import { isToken } from "../core/validate";
import type { IpSync } from "./ip-sync";
import type { Tags } from "./tags";

/** What the IP sync's alarms need. */
export interface IpSyncAlarmsProps {
  readonly sync: IpSync;
  /** The IP sync's name: its custom metrics' namespace is `PrivateLinkRouter/<name>`. */
  readonly name: string;
  /** The function's schedule expression. */
  readonly schedule: string;
  readonly actions: string[];
  readonly evaluationPeriods: number;
  readonly tags: Tags;
  readonly provider?: TerraformProvider;
}

const UNIT_SECONDS: { [unit: string]: number } = { minute: 60, hour: 3600, day: 86400 };

/** `rate(<n> <unit>)`, in a form both JavaScript and Terraform's `regex` read (no backslashes). */
const RATE = "^rate[(]([0-9]+) (minute|hour|day)s?[)]$";

/**
 * Seconds between two scheduled runs of a `rate(...)` schedule; an hour for a `cron(...)`
 * schedule, whose spacing varies (the alarm is then looser, never noisier). A token schedule gets
 * the same rule as an expression, so Terraform computes what the literal would have given.
 */
export function schedulePeriodSeconds(schedule: string, scheduleExpression: string): number {
  if (isToken(schedule)) {
    const units = `{ ${Object.entries(UNIT_SECONDS).map(([u, n]) => `${u} = ${n}`).join(", ")} }`;
    const match = `regex("${RATE}", ${scheduleExpression})`;
    return Token.asNumber(expression(`try(tonumber(${match}[0]) * ${units}[${match}[1]], 3600)`));
  }
  const m = new RegExp(RATE).exec(schedule);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]] : 3600;
}

/** Two metric filters on the function's log group and three alarms. */
export function addIpSyncAlarms(scope: Construct, props: IpSyncAlarmsProps): void {
  const { sync, provider } = props;
  const namespace = `PrivateLinkRouter/${props.name}`;
  const filter = (id: string, metric: string, event: string) => new CloudwatchLogMetricFilter(scope, id, {
    name: `${props.name}-${metric}`,
    logGroupName: sync.logGroup.name,
    // The handler writes bare JSON lines (handler.ts), so a JSON pattern can read `event`.
    pattern: `{ $.event = "${event}" }`,
    metricTransformation: { name: metric, namespace, value: "1", defaultValue: "0", unit: "Count" },
    provider,
  });
  filter("TargetErrorLines", "TargetErrors", "error");
  filter("SummaryLines", "Runs", "summary");

  const common = { alarmActions: props.actions, okActions: props.actions, tags: props.tags, provider, threshold: 0 };
  new CloudwatchMetricAlarm(scope, "FunctionErrors", {
    ...common,
    alarmName: `${props.name}-function-errors`,
    alarmDescription: `The IP sync function ${props.name} fails (a configuration error, a timeout or a crash): failed-over databases `
      + `stay on their old addresses; read its log group /aws/lambda/${props.name} and fix what the error names.`,
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: sync.function.functionName },
    statistic: "Sum",
    period: 60,
    evaluationPeriods: props.evaluationPeriods,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  });
  new CloudwatchMetricAlarm(scope, "TargetErrors", {
    ...common,
    alarmName: `${props.name}-target-errors`,
    alarmDescription: `The IP sync ${props.name} cannot update a target group (an AWS error on a target): that database's `
      + `addresses are not kept current; find its "event": "error" lines in /aws/lambda/${props.name} and fix the permission or route ` +
        `they name.`,
    namespace,
    metricName: "TargetErrors",
    statistic: "Sum",
    period: 60,
    evaluationPeriods: props.evaluationPeriods,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
  });
  const period = schedulePeriodSeconds(props.schedule, sync.scheduleExpression);
  new CloudwatchMetricAlarm(scope, "NoSuccessfulRun", {
    ...common,
    alarmName: `${props.name}-no-successful-run`,
    alarmDescription: `The IP sync ${props.name} has not completed a run for three schedule periods: failovers are not followed; `
      + `check that its schedule rule is enabled and that the function is not throttled, timing out or failing.`,
    namespace,
    metricName: "Runs",
    statistic: "Sum",
    period,
    evaluationPeriods: 3,
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    // No log at all in a period: nothing ran.
    treatMissingData: "breaching",
  });
}
