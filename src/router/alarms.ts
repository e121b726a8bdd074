// CloudWatch alarms of a router (`alarms`): per target group, one when no target is healthy and
// one when any target is unhealthy, notifying the given SNS topics when they fire and clear.
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { TerraformLocal, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { ValidationError } from "../core/errors";
import { addressOf, expression, forEachOver } from "../core/expressions";
import { isToken, show, validatePattern, validateRange } from "../core/validate";
import { RouterAlarmOptions } from "./types";
import { shardField, TARGET, TARGET_GROUP } from "./target-map";

/** What the alarms need from their router. */
export interface AlarmsProps {
  readonly actions: string[];
  readonly evaluationPeriods: number;
  /** The per-target map (its `shard` and `listener_port`). */
  readonly targets: TerraformLocal;
  /** The target groups' `arn_suffix` and `name` by target (a local: no edge per alarm and group). */
  readonly targetGroups: TerraformLocal;
  /** The shards local (`load_balancer_arn_suffix`). */
  readonly shards: TerraformLocal;
  readonly tags: any;
  readonly provider?: TerraformProvider;
}

/** Two `for_each` alarms over the targets, with the NLB and target group ARN suffixes as dimensions. */
export function addAlarms(scope: Construct, props: AlarmsProps): void {
  const dimensions = {
    LoadBalancer: expression(shardField(addressOf(props.shards), `each.value.${TARGET.shard}`, "load_balancer_arn_suffix")),
    TargetGroup: expression(`${addressOf(props.targetGroups)}[each.key].${TARGET_GROUP.arn_suffix}`),
  };
  const common = {
    forEach: forEachOver(addressOf(props.targets)),
    namespace: "AWS/NetworkELB",
    period: 60,
    evaluationPeriods: props.evaluationPeriods,
    dimensions,
    alarmActions: props.actions,
    okActions: props.actions,
    tags: props.tags,
    provider: props.provider,
  };
  // Named after the target group as Terraform names it (with a token VPC, its hash is Terraform's).
  const groupName = `${addressOf(props.targetGroups)}[each.key].${TARGET_GROUP.name}`;
  new CloudwatchMetricAlarm(scope, "NoHealthyTarget", {
    ...common,
    alarmName: expression(`"\${${groupName}}-no-healthy-target"`),
    alarmDescription: expression(`"No healthy target behind listener port \${each.value.${TARGET.listener_port}} (target \${each.key}): notebooks cannot reach this database."`),
    metricName: "HealthyHostCount",
    statistic: "Minimum",
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    // No data means no healthy target reported: fire.
    treatMissingData: "breaching",
  });
  new CloudwatchMetricAlarm(scope, "UnhealthyTarget", {
    ...common,
    alarmName: expression(`"\${${groupName}}-unhealthy-target"`),
    alarmDescription: expression(`"A target behind listener port \${each.value.${TARGET.listener_port}} (target \${each.key}) fails its health check."`),
    metricName: "UnHealthyHostCount",
    statistic: "Maximum",
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    treatMissingData: "notBreaching",
  });
}

const SNS_TOPIC = /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** Checks `alarms` before anything is made; throws ValidationError. */
export function validateAlarms(scope: Construct, options: RouterAlarmOptions): void {
  if (!isToken(options.actions)) {
    if (!Array.isArray(options.actions) || options.actions.length === 0) {
      throw new ValidationError(`\`alarms.actions\` must list at least one SNS topic ARN (got ${show(options.actions)}); give the topic that pages the database owners`, scope);
    }
    options.actions.forEach((a, i) => validatePattern(scope, `alarms.actions[${i}]`, a, SNS_TOPIC, "an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:db-alerts"));
  }
  validateRange(scope, "alarms.evaluationPeriods", options.evaluationPeriods, 1, 60);
}
