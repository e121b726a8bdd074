// The package's public API: the two constructs, their props and the shapes they return.
export { ValidationError } from "./core/errors";
export { PortAssignment } from "./router/types";
export type { PrivateLinkRouterProps, IpSyncOptions, RouterAlarmOptions } from "./router/types";
export type { HealthCheckOptions, RouterTarget, RouterRoute } from "./router/target-types";
export type { IRouterShard } from "./router/router-shard";
export { PrivateLinkRouter } from "./router/private-link-router";
export { DatabricksNcc } from "./databricks/databricks-ncc";
export type { DatabricksNccProps, RouterConnectionOptions, NotebookConnection } from "./databricks/types";
