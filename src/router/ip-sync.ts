// The IP sync of a router (`ipSync`): a Lambda in the router's VPC, run on a schedule, on RDS
// events (ip-sync-events.ts) and once during apply, that keeps the IPs of `host` targets
// registered as DNS changes (failover).
import { existsSync } from "fs";
import { join, resolve } from "path";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AssetType, Fn, ITerraformIterator, Lazy, TerraformAsset, TerraformLocal, TerraformProvider, TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { addressOf, expression, forEachOver, keyedEntries, keyedList, literal } from "../core/expressions";
import { addIpSyncEvents } from "./ip-sync-events";
import { TARGET, TARGET_GROUP } from "./target-map";
import { Tags, withName } from "./tags";

/** The compiled handler (`lib/ip-sync/handler.js`), the same folder from `src/router` and `lib/router`. */
export const HANDLER_DIR = resolve(__dirname, "..", "..", "lib", "ip-sync");
/** Days the function's logs are kept. */
export const LOG_RETENTION_DAYS = 30;
/**
 * How long an asynchronous invocation (a schedule tick, an RDS event) may wait in Lambda's queue:
 * one throttled because a run is going (reserved concurrency 1) is retried with backoff meanwhile.
 */
export const MAX_EVENT_AGE_SECONDS = 3600;

/** What the IP sync needs from its router. */
export interface IpSyncProps {
  /** Names of the function, role, rule and security groups (1-64 characters). */
  readonly name: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly schedule: string;
  readonly misses: number;
  readonly dnsServers?: string[];
  readonly createElbEndpoint: boolean;
  readonly apiEgressCidrs?: string[];
  /** Run on RDS events too (a rule on the default bus). */
  readonly syncOnDatabaseEvents: boolean;
  /** Accounts admitted to the function's RDS event bus. */
  readonly eventSourceAccounts?: string[];
  /** The router's per-target map and target groups (the function manages the `host` targets' groups). */
  readonly targets: TerraformLocal;
  readonly targetGroups: TerraformResource;
  /** Number of `host` targets at synthesis, for the function's timeout. */
  readonly hostCount: () => number;
  readonly tags: Tags;
  readonly provider?: TerraformProvider;
}

/**
 * A Lambda that re-resolves every `host` target and registers and deregisters its IPs
 * (`lib/ip-sync/handler.js`), with its security group, IAM role (writes scoped to the router's
 * `host` target groups), log group, EventBridge schedule, a first run during apply and, unless
 * turned off, an interface endpoint for the ELB API.
 */
export class IpSync extends Construct {
  public readonly function: LambdaFunction;
  public readonly securityGroup: SecurityGroup;
  /** The function's log group (`/aws/lambda/<name>`), which the alarms' metric filters read. */
  public readonly logGroup: CloudwatchLogGroup;
  /** `<settings local>.schedule`: the schedule expression as Terraform sees it (a token's value too). */
  public readonly scheduleExpression: string;

  constructor(scope: Construct, id: string, props: IpSyncProps) {
    super(scope, id);
    const { provider, tags } = props;
    if (!existsSync(join(HANDLER_DIR, "handler.js"))) {
      throw new Error(
        `${this.node.path}: the IP sync handler ${join(HANDLER_DIR, "handler.js")} is missing; build the library (npm run build)`);
    }
    const partition = new DataAwsPartition(this, "Partition", { provider });
    const region = new DataAwsRegion(this, "Region", { provider });

    // Values the expressions read: literals or tokens, in a local.
    const settings = new TerraformLocal(this, "settings", literal(this, () => ({
      dns_servers: props.dnsServers ?? [],
      // The same servers keyed for the egress rules' for_each (the list keeps their order).
      dns_server_keys: keyedList(props.dnsServers ?? []),
      api_egress_cidrs: keyedList(props.apiEgressCidrs ?? []),
      event_source_accounts: props.eventSourceAccounts ?? [],
      schedule: props.schedule,
    })));
    this.scheduleExpression = `${addressOf(settings)}.schedule`;
    const isHost = `${addressOf(props.targets)}[k].${TARGET.host} != null`;
    const hostGroups = `[for k, tg in ${addressOf(props.targetGroups)} : tg.${TARGET_GROUP.arn} if ${isHost}]`;

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: props.name,
      description: `IP sync of PrivateLink router ${props.name}: DNS and the ELB API only`,
      vpcId: props.vpcId,
      tags: withName(tags, props.name),
      provider,
    });
    const egress =
      (id: string, config:
        { forEach?: ITerraformIterator; cidrIpv4?: string; referencedSecurityGroupId?: string; protocol: string; port: number }) =>
      new VpcSecurityGroupEgressRule(this, id, {
        forEach: config.forEach,
        securityGroupId: this.securityGroup.id,
        cidrIpv4: config.cidrIpv4,
        referencedSecurityGroupId: config.referencedSecurityGroupId,
        ipProtocol: config.protocol,
        fromPort: config.port,
        toPort: config.port,
        tags,
        provider,
      });

    // DNS: the VPC resolver is not filtered by security groups; given servers get port 53.
    const dnsEach =
      forEachOver(`{ for k, s in ${keyedEntries(addressOf(settings), "dns_server_keys", props.dnsServers)} : k => split(":", s)[0] }`);
    for (const protocol of ["udp", "tcp"]) {
      egress(`Dns${protocol.toUpperCase()}`, { forEach: dnsEach, cidrIpv4: expression(`"\${each.value}/32"`), protocol, port: 53 });
    }

    // HTTPS to the ELB API: an endpoint of our own, or the given networks.
    const dependencies: TerraformResource[] = [];
    if (props.createElbEndpoint) {
      const endpointSg = new SecurityGroup(this, "EndpointSecurityGroup", {
        name: `${props.name.slice(0, 55)}-endpoint`,
        description: `ELB API endpoint of the IP sync of PrivateLink router ${props.name}`,
        vpcId: props.vpcId,
        tags: withName(tags, `${props.name.slice(0, 55)}-endpoint`),
        provider,
      });
      new VpcSecurityGroupIngressRule(this, "EndpointIngress", {
        securityGroupId: endpointSg.id,
        referencedSecurityGroupId: this.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        tags,
        provider,
      });
      egress("Https", { referencedSecurityGroupId: endpointSg.id, protocol: "tcp", port: 443 });
      dependencies.push(new VpcEndpoint(this, "ElbEndpoint", {
        vpcId: props.vpcId,
        serviceName: expression(`"com.amazonaws.\${${addressOf(region)}.name}.elasticloadbalancing"`),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: props.subnetIds,
        securityGroupIds: [endpointSg.id],
        tags: withName(tags, `${props.name.slice(0, 55)}-elb-api`),
        provider,
      }));
    } else {
      const apiEach = forEachOver(keyedEntries(addressOf(settings), "api_egress_cidrs", props.apiEgressCidrs));
      egress("Https", { forEach: apiEach, cidrIpv4: expression("each.value"), protocol: "tcp", port: 443 });
    }

    const role = new IamRole(this, "Role", {
      name: props.name,
      assumeRolePolicy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags,
      provider,
    });
    const logGroup = this.logGroup = new CloudwatchLogGroup(this, "Logs", {
      name: `/aws/lambda/${props.name}`,
      retentionInDays: LOG_RETENTION_DAYS,
      tags,
      provider,
    });
    dependencies.push(new IamRolePolicyAttachment(this, "VpcAccess", {
      role: role.name,
      policyArn: expression(`"arn:\${${addressOf(partition)}.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"`),
      provider,
    }));
    dependencies.push(new IamRolePolicy(this, "Policy", {
      role: role.id,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          // Writes only to the router's `host` target groups.
          { Sid: "WriteRouterTargetGroups", Effect: "Allow", Action: [
            "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
          ], Resource: expression(hostGroups) },
          // Describe* actions support no resource-level permissions.
          { Sid: "Describe", Effect: "Allow", Action: ["elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags"],
            Resource: "*" },
          { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource:
            expression(`"\${${addressOf(logGroup)}.arn}:*"`) },
        ],
      }),
      provider,
    }));

    const asset = new TerraformAsset(this, "Code", { path: HANDLER_DIR, type: AssetType.ARCHIVE });
    // What the handler reads of each `host` target (handler.ts, SyncTarget).
    const syncTarget = `{ name = k, host = t.${TARGET.host}, port = t.${TARGET.port}, `
      + `targetGroupArn = ${addressOf(props.targetGroups)}[k].${TARGET_GROUP.arn}, availabilityZone = t.${TARGET.availability_zone} }`;
    const configuration = {
      IP_SYNC_TARGETS: Fn.jsonencode(expression(`[for k, t in ${addressOf(props.targets)} : ${syncTarget} if t.${TARGET.host} != null]`)),
      IP_SYNC_MISSES: String(props.misses),
      IP_SYNC_DNS_SERVERS: expression(`join(",", ${addressOf(settings)}.dns_servers)`),
    };
    this.function = new LambdaFunction(this, "Function", {
      functionName: props.name,
      description: `Keeps the IPs of PrivateLink router ${props.name}'s host targets registered as DNS changes`,
      role: role.arn,
      runtime: "nodejs22.x",
      handler: "handler.handler",
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      // Targets run in parallel; each DNS lookup is capped at 5 s, AWS calls retry when throttled;
      // an event run first polls DNS for up to 60 s.
      timeout: Lazy.numberValue({ produce: () => Math.min(900, 120 + props.hostCount()) }),
      memorySize: 256,
      // One run at a time: two overlapping runs would count a miss twice.
      reservedConcurrentExecutions: 1,
      vpcConfig: { subnetIds: props.subnetIds, securityGroupIds: [this.securityGroup.id] },
      environment: { variables: configuration },
      dependsOn: [...dependencies, logGroup],
      tags,
      provider,
    });

    const rule = new CloudwatchEventRule(this, "Schedule", {
      name: props.name,
      description: `Runs the IP sync of PrivateLink router ${props.name}`,
      scheduleExpression: props.schedule,
      tags,
      provider,
    });
    new CloudwatchEventTarget(this, "Target", { rule: rule.name, arn: this.function.arn, provider });
    new LambdaPermission(this, "AllowSchedule", {
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
      provider,
    });
    new LambdaFunctionEventInvokeConfig(this, "Async", {
      functionName: this.function.functionName,
      maximumEventAgeInSeconds: MAX_EVENT_AGE_SECONDS,
      // A config error fails every run alike; the next schedule tick or event is the retry.
      maximumRetryAttempts: 0,
      provider,
    });
    if (props.syncOnDatabaseEvents) {
      addIpSyncEvents(this, {
        name: props.name,
        function: this.function,
        accounts: `${addressOf(settings)}.event_source_accounts`,
        crossAccount: props.eventSourceAccounts !== undefined,
        partition: `${addressOf(partition)}.partition`,
        tags,
        provider,
      });
    }
    // A first run during apply, so the targets are registered right away (again when they change).
    new LambdaInvocation(this, "FirstRun", {
      functionName: this.function.functionName,
      input: Fn.jsonencode({ source: "terraform-apply" }),
      triggers: { configuration: Fn.sha256(Fn.jsonencode(configuration)) },
      provider,
    });
  }
}
