// The IP sync's RDS event triggers: a rule on the router account's default bus, and, for
// databases in other accounts, an event bus that admits those accounts, a rule on it and the
// `rds_event_forwarding` output telling each database owner the one rule to add in their account.
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventBusPolicy } from "@cdktf/provider-aws/lib/cloudwatch-event-bus-policy";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Fn, TerraformOutput, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { addressOf, expression } from "../core/expressions";
import { uniqueName } from "../core/names";
import { rdsEventPattern } from "../ip-sync/events";
import type { Tags } from "./tags";

/** What the event triggers need from the IP sync. */
export interface IpSyncEventsProps {
  /** The IP sync's name (1-64 characters), the base of the rules' and bus's names. */
  readonly name: string;
  readonly function: LambdaFunction;
  /** `<local>.event_source_accounts`: the accounts, as the IP sync's settings local holds them. */
  readonly accounts: string;
  /** Whether there are accounts to admit (known at synthesis: a token list counts as some). */
  readonly crossAccount: boolean;
  /** `data.aws_partition.<x>.partition`. */
  readonly partition: string;
  readonly tags: Tags;
  readonly provider?: TerraformProvider;
}

/** A rule running the function on the RDS events that can move an endpoint, and the permission. */
function ruleToFunction(scope: Construct, id: string, props: IpSyncEventsProps, bus?: CloudwatchEventBus): CloudwatchEventRule {
  const { provider } = props;
  const rule = new CloudwatchEventRule(scope, id, {
    name: uniqueName([props.name, bus ? "rds-forwarded" : "rds"], `${props.name}/${id}`, 64),
    description: `Runs the IP sync ${props.name} when an RDS failover, reboot or maintenance can move a database's address`,
    eventBusName: bus?.name,
    eventPattern: JSON.stringify(rdsEventPattern()),
    tags: props.tags,
    provider,
  });
  new CloudwatchEventTarget(scope, `${id}Target`, { rule: rule.name, eventBusName: bus?.name, arn: props.function.arn, provider });
  new LambdaPermission(scope, `Allow${id}`, {
    action: "lambda:InvokeFunction",
    functionName: props.function.functionName,
    principal: "events.amazonaws.com",
    sourceArn: rule.arn,
    provider,
  });
  return rule;
}

/** The same-account rule and, with `eventSourceAccounts`, the bus, its policy, its rule and the output. */
export function addIpSyncEvents(scope: Construct, props: IpSyncEventsProps): void {
  ruleToFunction(scope, "DatabaseEvents", props);
  if (!props.crossAccount) return;

  const bus = new CloudwatchEventBus(scope, "DatabaseEventBus", {
    name: uniqueName([props.name, "rds-events"], `${props.name}/DatabaseEventBus`, 64),
    tags: props.tags,
    provider: props.provider,
  });
  new CloudwatchEventBusPolicy(scope, "DatabaseEventBusPolicy", {
    eventBusName: bus.name,
    policy: Fn.jsonencode({
      Version: "2012-10-17",
      Statement: [{
        Sid: "DatabaseAccountsForwardRdsEvents",
        Effect: "Allow",
        Principal: { AWS: expression(`[for a in ${props.accounts} : "arn:\${${props.partition}}:iam::\${a}:root"]`) },
        Action: "events:PutEvents",
        Resource: bus.arn,
      }],
    }),
    provider: props.provider,
  });
  ruleToFunction(scope, "ForwardedDatabaseEvents", props, bus);

  const pattern = JSON.stringify(rdsEventPattern());
  new TerraformOutput(scope, "rds_event_forwarding", {
    description: "What each database account must add so its RDS failovers reach the IP sync within seconds",
    value: {
      accounts: expression(props.accounts),
      event_bus_arn: bus.arn,
      event_pattern: pattern,
      line: expression(`"In each of the accounts \${join(", ", ${props.accounts})}: add an EventBridge rule on the default event bus `
        + `with the event pattern above and the target event bus \${${addressOf(bus)}.arn}, with a role that may `
        + `events:PutEvents to it; without it the IP sync follows those databases' failovers on its schedule only"`),
    },
  });
}
