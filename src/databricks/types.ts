// The public shapes of DatabricksNcc: its props, addRouter's options and what a notebook user
// connects to.
import { TerraformProvider } from "cdktf";
import { PrivateLinkRouter } from "../router/private-link-router";

/** Options of `DatabricksNcc.addRouter`. */
export interface RouterConnectionOptions {
  /**
   * The domain names of the router's rule, at most 10, in place of the targets' own.
   * Only for a router with one shard (a name can lead to one endpoint only).
   * @deprecated give each target its `domainName` (`RouterTarget.domainName`), which works for
   * any number of shards
   * @default - each shard's rule takes its targets' domain names (`domainName`, else `host`; <= 10)
   */
  readonly domainNames?: string[];
}

/** Properties of a DatabricksNcc. */
export interface DatabricksNccProps {
  /** AWS region of the workspaces, e.g. "us-east-1". */
  readonly region: string;
  /**
   * The NCC's name, `^[0-9a-zA-Z-_]{3,30}$`. Changing it replaces the NCC. Not with
   * `networkConnectivityConfigId`.
   * @default - derived from the construct path (`ncc-<id>-<hash6>`, at most 30 characters)
   */
  readonly name?: string;
  /**
   * Use this existing NCC (its id, not the `<account>/<id>` Terraform id) instead of creating
   * one. Not with `name`.
   * @default - a new NCC is created
   */
  readonly networkConnectivityConfigId?: string;
  /**
   * Workspaces to bind to the NCC, at most 50. A workspace has one NCC: binding replaces
   * its previous one, and it cannot be undone: a created NCC with bindings gets
   * `prevent_destroy` (README, "Destroying"). Ids above 2^53 - 1 are refused (a number cannot hold them exactly): pass
   * those in `workspaceIdStrings`.
   * @default []
   */
  readonly workspaceIds?: number[];
  /**
   * Workspaces to bind, their ids as strings of digits, written to Terraform exactly: for ids
   * above 2^53 - 1 (9007199254740991), which a JavaScript number cannot hold (many 16-digit
   * workspace ids are). Counts with `workspaceIds` against the 50 per NCC.
   * @default []
   */
  readonly workspaceIdStrings?: string[];
  /**
   * Routers to connect; sugar for `addRouter(r)` for each.
   * @default []
   */
  readonly routers?: PrivateLinkRouter[];
  /**
   * Accept the endpoint connections of this NCC's rules through Terraform
   * (`aws_vpc_endpoint_connection_accepter`), on the apply after Databricks creates them.
   * @default true
   */
  readonly autoAcceptConnections?: boolean;
  /**
   * The IAM principal Databricks connects with, added to every router shard's endpoint service.
   * @default DatabricksNcc.principalFor(region)
   */
  readonly databricksPrincipal?: string;
  /**
   * The account-level databricks provider (host https://accounts.cloud.databricks.com, with
   * `account_id`).
   * @default - the stack's default databricks provider, which must be account-level
   */
  readonly provider?: TerraformProvider;
  /**
   * The AWS provider of the connection accepters, for the routers' account and region. Required
   * when a router is in another stack (then it must be a provider of this NCC's stack).
   * @default - each router's `awsProvider`, else the stack's default aws provider
   */
  readonly awsProvider?: TerraformProvider;
}

/** What a notebook user types to reach one database. */
export interface NotebookConnection {
  /** The target's name. */
  readonly name: string;
  /** The database: its host, or its IPs joined with commas. */
  readonly database: string;
  /** The domain name to connect to (a rule domain name). */
  readonly domainName: string;
  /** The NLB listener port to connect to. */
  readonly port: number;
  /** `<domainName>:<port>`. */
  readonly address: string;
  /** The router shard that carries it. */
  readonly shard: number;
  /**
   * What the database's security group must admit from the router's subnets
   * (`PrivateLinkRouter.sourceCidrs`), e.g. `["tcp/5432"]`.
   */
  readonly admit: string[];
}
