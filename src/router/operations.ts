// The router's optional operations parts, IP sync and alarms: validated with the props, made
// after the per-target resources they read. Their modules pull in a dozen provider classes, so
// they load only for a router that uses them.
import { Construct } from "constructs";
import type * as AlarmsModule from "./alarms";
import { TargetResources } from "./emit";
import type * as IpSyncModule from "./ip-sync";
import { RouterSettings } from "./router-settings";
import { PrivateLinkRouterProps } from "./types";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ipSyncModule = (): typeof IpSyncModule => require("./ip-sync");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const alarmsModule = (): typeof AlarmsModule => require("./alarms");

/** What the operations parts read from the router. */
export interface OperationsInput {
  /** The IP sync function's name. */
  readonly name: string;
  readonly settings: RouterSettings;
  readonly resources: TargetResources;
  /** The number of `host` targets, at synthesis. */
  readonly hostCount: () => number;
}

/** Throws ValidationError for bad `ipSync` or `alarms` props. */
export function validateOperations(scope: Construct, props: PrivateLinkRouterProps, settings: RouterSettings): void {
  if (props.ipSync) ipSyncModule().validateIpSync(scope, props.ipSync, settings.egressCidrs);
  if (props.alarms) alarmsModule().validateAlarms(scope, props.alarms);
}

/** Makes the IP sync function and the alarms the props ask for. */
export function addOperations(scope: Construct, props: PrivateLinkRouterProps, input: OperationsInput): void {
  const r = input.resources;
  if (props.ipSync) {
    new (ipSyncModule().IpSync)(scope, "IpSync", {
      name: input.name,
      vpcId: input.settings.vpcId,
      subnetIds: props.ipSync.subnetIds ?? input.settings.subnetIds,
      schedule: props.ipSync.schedule ?? "rate(1 minute)",
      misses: props.ipSync.deregisterAfterMisses ?? 1,
      dnsServers: props.ipSync.dnsServers,
      createElbEndpoint: props.ipSync.createElbEndpoint ?? true,
      apiEgressCidrs: props.ipSync.apiEgressCidrs,
      targets: r.targets,
      targetGroups: r.targetGroups,
      hostCount: input.hostCount,
      tags: r.tags,
      provider: props.awsProvider,
    });
  }
  if (props.alarms) {
    alarmsModule().addAlarms(scope, {
      actions: props.alarms.actions,
      evaluationPeriods: props.alarms.evaluationPeriods ?? 2,
      targets: r.targets,
      targetGroups: r.targetGroupValues,
      shards: r.shards,
      tags: r.tags,
      provider: props.awsProvider,
    });
  }
}
