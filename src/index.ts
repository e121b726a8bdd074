export { ValidationError } from "./core/errors";
export { PortAssignment, HealthCheckOptions, RouterTarget, PrivateLinkRouterProps, RouterRoute } from "./router/types";
export { RouterShard, RouterShardProps } from "./router/router-shard";
export { PrivateLinkRouter } from "./router/private-link-router";
export { DatabricksNcc, DatabricksNccProps, RouterConnectionOptions, NotebookConnection } from "./databricks/databricks-ncc";
