// Databricks' limits for serverless private connectivity, and the app-wide tally that counts them
// across every DatabricksNcc of an app (per account-level provider and region).
import { App, TerraformProvider, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/** Databricks' limits for serverless private connectivity on AWS. */
export const DATABRICKS_LIMITS = {
  /** Private endpoint rules per region, shared by every NCC of the account in that region. */
  rulesPerRegion: 30,
  /** NCCs per region per account. */
  nccsPerRegion: 10,
  /** Workspaces bound to one NCC. */
  workspacesPerNcc: 50,
  /** Domain names of one private endpoint rule. */
  domainNamesPerRule: 10,
};

/**
 * The oldest databricks provider the library's output works with: in-place rule updates fail
 * before 1.106.0 (terraform-provider-databricks #5306), and before 1.118.0 a rule whose state
 * holds the `account_id` the API echoes plans a spurious update that fails ("Update mask must be
 * specified", #5347). 1.121.0 made the rule's server-set attributes read-only; the library sets
 * none of them. See the README, "Provider versions".
 */
export const MIN_DATABRICKS_PROVIDER = ">= 1.118.0";

/**
 * What the NCCs of one Databricks account and region use, across the whole app: rules, NCCs and
 * bound workspaces. One account is told apart by its account-level provider construct.
 */
export interface Tally {
  rules: number;
  readonly nccs: Set<string>;
  /** Workspace id -> the path of the NCC it is bound to. */
  readonly workspaces: Map<string, string>;
}

/**
 * App-wide state: one map per App (weakly held, so a test's apps are collected), keyed by
 * "<provider path>|<region>". Every DatabricksNcc of the app counts into it while it is
 * constructed; nothing else reads or writes it.
 */
const TALLIES = new WeakMap<object, Map<string, Tally>>();

/** The tally of an NCC's account (its provider, else the stack's default) and region. */
export function tallyOf(scope: IConstruct, provider: TerraformProvider | undefined, region: string): Tally {
  const app = App.of(scope) ?? scope.node.root;
  if (!TALLIES.has(app)) TALLIES.set(app, new Map());
  const providerKey = provider?.node.path ?? `${TerraformStack.of(scope).node.path}/<default databricks provider>`;
  const tallies = TALLIES.get(app)!;
  const key = `${providerKey}|${region}`;
  if (!tallies.has(key)) tallies.set(key, { rules: 0, nccs: new Set(), workspaces: new Map() });
  return tallies.get(key)!;
}
