// The router's optional operations parts, IP sync and alarms (the IP sync's own with both):
// validated with the props, made after the per-target resources they read. Their modules pull in a dozen provider classes, so
// they load only for a router that uses them.
import { Construct } from "constructs";
import type * as AlarmsModule from "./alarms";
import { TargetResources } from "./emit";
import type * as IpSyncModule from "./ip-sync";
import type * as IpSyncAlarmsModule from "./ip-sync-alarms";
import { validateIpSync } from "./ip-sync-validation";
import { RouterSettings } from "./router-settings";
import type { AlarmShardEntry } from "./target-map";
import { PrivateLinkRouterProps } from "./types";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ipSyncModule = (): typeof IpSyncModule => require("./ip-sync");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const alarmsModule = (): typeof AlarmsModule => require("./alarms");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ipSyncAlarmsModule = (): typeof IpSyncAlarmsModule => require("./ip-sync-alarms");

/** What the operations parts read from the router. */
export interface OperationsInput {
  /** The IP sync function's name. */
  readonly name: string;
  readonly settings: RouterSettings;
  readonly resources: TargetResources;
  /** The number of `host` targets, at synthesis. */
  readonly hostCount: () => number;
  /** Per shard index: its endpoint service's id and load balancer's name, at synthesis. */
  readonly shardServices: () => { [index: string]: AlarmShardEntry };
}

/** Throws ValidationError for bad `ipSync` or `alarms` props. */
export function validateOperations(scope: Construct, props: PrivateLinkRouterProps, settings: RouterSettings): void {
  if (props.ipSync) validateIpSync(scope, props.ipSync, settings.egressCidrs);
  if (props.alarms) alarmsModule().validateAlarms(scope, props.alarms);
}

/** Makes the IP sync function and the alarms the props ask for. */
export function addOperations(scope: Construct, props: PrivateLinkRouterProps, input: OperationsInput): void {
  const r = input.resources;
  const schedule = props.ipSync?.schedule ?? "rate(1 minute)";
  const evaluationPeriods = props.alarms?.evaluationPeriods ?? 2;
  let sync: IpSyncModule.IpSync | undefined;
  if (props.ipSync) {
    sync = new (ipSyncModule().IpSync)(scope, "IpSync", {
      name: input.name,
      vpcId: input.settings.vpcId,
      subnetIds: props.ipSync.subnetIds ?? input.settings.subnetIds,
      schedule,
      misses: props.ipSync.deregisterAfterMisses ?? 1,
      dnsServers: props.ipSync.dnsServers,
      createElbEndpoint: props.ipSync.createElbEndpoint ?? true,
      apiEgressCidrs: props.ipSync.apiEgressCidrs,
      syncOnDatabaseEvents: props.ipSync.syncOnDatabaseEvents ?? true,
      eventSourceAccounts: props.ipSync.eventSourceAccounts,
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
      evaluationPeriods,
      targets: r.targets,
      targetGroups: r.targetGroupValues,
      shards: r.shards,
      shardServices: input.shardServices,
      noNewConnectionsMinutes: props.alarms.noNewConnectionsMinutes,
      tags: r.tags,
      provider: props.awsProvider,
    });
  }
  if (props.alarms && sync) {
    ipSyncAlarmsModule().addIpSyncAlarms(scope, {
      sync,
      name: input.name,
      schedule,
      actions: props.alarms.actions,
      evaluationPeriods,
      tags: r.tags,
      provider: props.awsProvider,
    });
  }
}
