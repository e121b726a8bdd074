// CloudWatch alarms of a router (`alarms`): per target group, no healthy target and any unhealthy
// target; per shard, the endpoint connection gone and (optionally) no new connections; the IP
// sync's own alarms are in ip-sync-alarms.ts. All notify the same SNS topics when they fire and clear.
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { TerraformLocal, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { ValidationError } from "../core/errors";
import { addressOf, expression, forEachOver, literal } from "../core/expressions";
import { isToken, show, validatePattern, validateRange } from "../core/validate";
import { RouterAlarmOptions } from "./types";
import { ALARM_SHARD, AlarmShardEntry, shardField, TARGET, TARGET_GROUP } from "./target-map";
import type { Tags } from "./tags";

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
  /**
   * Per shard index: its endpoint service's id and its load balancer's name (expressions), kept
   * out of the `shards` local so that a router without alarms plans exactly what it did.
   */
  readonly shardServices: () => { [index: string]: AlarmShardEntry };
  /** Minutes without a new connection before a shard's "no new connections" alarm fires, if any. */
  readonly noNewConnectionsMinutes?: number;
  readonly tags: Tags;
  readonly provider?: TerraformProvider;
}

/**
 * Two `for_each` alarms over the targets, with the NLB and target group ARN suffixes as
 * dimensions, and one or two over the shards, on their endpoint services' PrivateLink metrics.
 */
export function addAlarms(scope: Construct, props: AlarmsProps): void {
  addTargetAlarms(scope, props);
  addShardAlarms(scope, props);
}

function addTargetAlarms(scope: Construct, props: AlarmsProps): void {
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
    alarmDescription: expression(`"No healthy target behind listener port \${each.value.${TARGET.listener_port}} (target \${each.key}): `
      + `notebooks cannot reach this database; check that it is up and that its security group admits the router (output ` +
        `database_access)."`),
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
    alarmDescription:
      expression(`"A target behind listener port \${each.value.${TARGET.listener_port}} (target \${each.key}) fails its health check: `
      + `connections to that address fail; check the database and its security group, and after a failover re-apply or enable ipSync."`),
    metricName: "UnHealthyHostCount",
    statistic: "Maximum",
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    treatMissingData: "notBreaching",
  });
}

/**
 * Per shard (`AWS/PrivateLinkServices`, dimension `Service Id`). `EndpointsCount` is reported
 * only while it is nonzero, so "the connection is gone" is the metric going missing after it was
 * there: the alarm treats missing data as missing and notifies on INSUFFICIENT_DATA as well as
 * on ALARM. A new alarm starts in INSUFFICIENT_DATA without notifying, so a shard no endpoint
 * has connected to yet stays quiet until its first connection (then OK).
 */
function addShardAlarms(scope: Construct, props: AlarmsProps): void {
  const shards = new TerraformLocal(scope, "alarm_shards", literal(scope, props.shardServices));
  const serviceId = `each.value.${ALARM_SHARD.service_id}`;
  const name = `each.value.${ALARM_SHARD.name}`;
  const common = {
    forEach: forEachOver(addressOf(shards)),
    namespace: "AWS/PrivateLinkServices",
    dimensions: { "Service Id": expression(serviceId) },
    alarmActions: props.actions,
    okActions: props.actions,
    tags: props.tags,
    provider: props.provider,
  };
  new CloudwatchMetricAlarm(scope, "EndpointDisconnected", {
    ...common,
    alarmName: expression(`"\${${name}}-endpoint-disconnected"`),
    alarmDescription: expression(`"No endpoint is connected to shard \${each.key}'s endpoint service \${${serviceId}} (` +
      `rejected, expired or deleted): `
      + `notebooks cannot reach its databases; check the connection's state and the NCC rule, and re-apply the NCC stack to accept it ` +
        `again."`),
    metricName: "EndpointsCount",
    statistic: "Maximum",
    period: 300,
    evaluationPeriods: 2,
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    treatMissingData: "missing",
    insufficientDataActions: props.actions,
  });
  const minutes = props.noNewConnectionsMinutes;
  if (minutes === undefined) return;
  new CloudwatchMetricAlarm(scope, "NoNewConnections", {
    ...common,
    alarmName: expression(`"\${${name}}-no-new-connections"`),
    alarmDescription:
      expression(`"No new connection through shard \${each.key}'s endpoint service \${${serviceId}} for ${minutes} minutes: `
      + `check the endpoint connection, the NCC rule and the notebooks' connection strings."`),
    metricName: "NewConnections",
    statistic: "Sum",
    period: minutes * 60,
    evaluationPeriods: 1,
    comparisonOperator: "LessThanThreshold",
    threshold: 1,
    // No data: nothing came through.
    treatMissingData: "breaching",
  });
}

const SNS_TOPIC = /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** Checks `alarms` before anything is made; throws ValidationError. */
export function validateAlarms(scope: Construct, options: RouterAlarmOptions): void {
  if (!isToken(options.actions)) {
    if (!Array.isArray(options.actions) || options.actions.length === 0) {
      throw new ValidationError(`\`alarms.actions\` must list at least one SNS topic ARN (got ${show(options.actions)}); give the topic ` +
        `that pages the database owners`, scope);
    }
    options.actions.forEach((a, i) =>
      validatePattern(scope, `alarms.actions[${i}]`, a, SNS_TOPIC, "an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:db-alerts"));
  }
  validateRange(scope, "alarms.evaluationPeriods", options.evaluationPeriods, 1, 60);
  if (isToken(options.noNewConnectionsMinutes)) {
    throw new ValidationError("`alarms.noNewConnectionsMinutes` must be a literal number: it sets the alarm's period "
      + "and its description at synthesis; write the minutes, 5-1440", scope);
  }
  validateRange(scope, "alarms.noNewConnectionsMinutes", options.noNewConnectionsMinutes, 5, 1440);
}
