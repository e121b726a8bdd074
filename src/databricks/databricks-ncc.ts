// The public DatabricksNcc: an NCC (created or reused), one private endpoint rule per router
// shard (rule-plan.ts), workspace bindings, the principal, and connection acceptance (accepter.ts).
import { MwsNccBinding } from "@cdktf/provider-databricks/lib/mws-ncc-binding";
import { MwsNccPrivateEndpointRule } from "@cdktf/provider-databricks/lib/mws-ncc-private-endpoint-rule";
import { MwsNetworkConnectivityConfig } from "@cdktf/provider-databricks/lib/mws-network-connectivity-config";
import { Annotations, dependable, TerraformLocal, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import { addressOf, expression, forEachOver, keyedEntries, literal } from "../core/expressions";
import { sanitize, shortHash } from "../core/names";
import { findDefaultProvider, requireProviderType } from "../core/providers";
import { isToken, show, validatePattern, validatePrincipal } from "../core/validate";
import { PrivateLinkRouter } from "../router/private-link-router";
import { RouterRoute } from "../router/target-types";
import { ConnectionAccepter } from "./accepter";
import { DATABRICKS_LIMITS, MIN_DATABRICKS_PROVIDER, Tally, tallyOf } from "./limits";
import { claimName, existingNccs } from "./name-claim";
import { PlannedRule, RouterPlan, routerKey, RulePlanner } from "./rule-plan";
import { DatabricksNccProps, NotebookConnection, RouterConnectionOptions } from "./types";
import { literalWorkspaceIds, validateWorkspaceIds, workspaceSettings } from "./workspaces";

const NCC_NAME = /^[0-9a-zA-Z-_]{3,30}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/**
 * Connects Databricks serverless compute to PrivateLink routers through a Network
 * Connectivity Config (NCC): one private endpoint rule per router shard, the Databricks
 * principal on every endpoint service, workspace bindings, and the acceptance of each
 * connection on the apply after Databricks creates its endpoint.
 */
export class DatabricksNcc extends Construct {
  /**
   * The principal Databricks serverless uses in a region, shared by every Databricks customer there.
   * @param region an AWS region, e.g. "us-east-1"
   */
  public static principalFor(region: string): string {
    return `arn:aws:iam::565502421330:role/private-connectivity-role-${region}`;
  }

  /** The NCC's id (`network_connectivity_config_id`): a token, or the given id. */
  public readonly networkConnectivityConfigId: string;
  private readonly props: DatabricksNccProps;
  private readonly principal: string;
  private readonly tally: Tally;
  private readonly planner: RulePlanner;
  private readonly ruleList: MwsNccPrivateEndpointRule[] = [];
  private readonly connectionList: NotebookConnection[] = [];
  private readonly ruleResources = new Map<PlannedRule, MwsNccPrivateEndpointRule>();
  private readonly accepters = new Map<PrivateLinkRouter, TerraformResource>();
  private readonly nccName?: string;
  private readonly settings: TerraformLocal;
  private accepter?: ConnectionAccepter;

  /**
   * @param scope the stack (or a construct in it) that holds the account-level databricks provider
   * @param id construct id; the default NCC name is derived from the construct path
   * @param props the region, the NCC to create or reuse, workspaces and routers
   */
  constructor(scope: Construct, id: string, props: DatabricksNccProps) {
    super(scope, id);
    // 1. Props, and the app-wide limits of this account and region.
    this.props = props;
    this.validateProps(props);
    this.principal = props.databricksPrincipal ?? DatabricksNcc.principalFor(props.region);
    this.tally = tallyOf(this, props.provider, props.region);
    this.checkWorkspacesUnbound();
    const existing = props.networkConnectivityConfigId;
    this.nccName = existing === undefined ? props.name ?? defaultName(this) : undefined;
    const nccKey = existing ?? `name:${this.nccName}`;
    if (!this.tally.nccs.has(nccKey) && this.tally.nccs.size >= DATABRICKS_LIMITS.nccsPerRegion) {
      throw new ValidationError(`this would be NCC number ${this.tally.nccs.size + 1} in ${props.region} for one Databricks account; ` +
        `Databricks allows ${DATABRICKS_LIMITS.nccsPerRegion} per region: share an NCC between workspaces (up ` +
        `to ${DATABRICKS_LIMITS.workspacesPerNcc}) instead`, this);
    }

    // 2. Every router's rules are planned before any resource is made.
    this.planner = new RulePlanner(this, this.tally, props.region, props.awsProvider);
    const plans = (props.routers ?? []).map((r) => this.planner.plan(r, {}));

    // 3. The NCC, its settings, bindings and the connections output.
    this.tally.nccs.add(nccKey);
    // The bindings pin 1.99.0, whose rule updates fail: require a version that works (limits.ts).
    TerraformStack.of(this).addOverride("terraform.required_providers.databricks.version", MIN_DATABRICKS_PROVIDER);
    // The NCC's own values, for expressions: as literals or tokens, never in expression text.
    this.settings = new TerraformLocal(this, "settings", literal(this, () => ({
      name: this.nccName ?? null,
      id: existing ?? null,
      ...workspaceSettings(props.workspaceIds, props.workspaceIdStrings),
    })));
    this.networkConnectivityConfigId = existing ?? this.createNcc();
    this.bindWorkspaces();
    new TerraformOutput(this, "connections", {
      description: "What notebook users connect to: one entry per database, address = <domain name>:<listener port>",
      // Sorted by target name: the output does not depend on the order targets were declared in.
      value: literal(this, () => [...this.connectionList].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
    });

    // 4. The planned routers' rules, principal and acceptance.
    plans.forEach((plan) => this.connect(plan));
  }

  /** One private endpoint rule per shard of the router, in shard order. */
  public get rules(): MwsNccPrivateEndpointRule[] {
    return [...this.ruleList];
  }

  /** Per database: the domain name and listener port a notebook connects to. */
  public get connections(): NotebookConnection[] {
    return [...this.connectionList];
  }

  /**
   * Connects a router: a private endpoint rule per shard, the Databricks principal on each
   * endpoint service and (with `autoAcceptConnections`) the acceptance of the connections.
   * Targets the router gets later join the rules (a new shard gets its own rule), checked by
   * `addTarget` against the same limits. Returns the rules made now, in shard order.
   * @param router the router to connect
   * @param options deprecated domain names (default: each shard's targets' `domainName`s)
   */
  public addRouter(router: PrivateLinkRouter, options: RouterConnectionOptions = {}): MwsNccPrivateEndpointRule[] {
    const rules = this.connect(this.planner.plan(router, options));
    return rules;
  }

  private createNcc(): string {
    const ncc = new MwsNetworkConnectivityConfig(this, "Config", {
      name: this.nccName!,
      region: this.props.region,
      provider: this.props.provider,
      // A binding's delete does nothing and a workspace cannot be unbound, and Databricks refuses
      // to delete an NCC that a workspace is bound to: a destroy (or a replacement) would reject
      // the connections and delete the rules and routers, then fail at the NCC. Refused at plan
      // instead, before anything is deleted (README, "Destroying").
      lifecycle: this.bindsWorkspaces() ? { preventDestroy: true } : undefined,
    });
    // The plan fails if the account already has an NCC of this name that this state does not hold.
    claimName(this, ncc, this.settings, existingNccs(this, this.props.region, this.props.provider));
    return ncc.networkConnectivityConfigId;
  }

  /** Whether this NCC binds workspaces: a token list, or a non-empty one, of either kind of id. */
  private bindsWorkspaces(): boolean {
    const some = (list?: unknown[]) => list !== undefined && (isToken(list) || list.length > 0);
    return some(this.props.workspaceIds) || some(this.props.workspaceIdStrings);
  }

  /** One binding per workspace, keyed by its id (a token id by its position: workspaces.ts). */
  private bindWorkspaces(): void {
    const { workspaceIds, workspaceIdStrings } = this.props;
    for (const ws of literalWorkspaceIds(workspaceIds, workspaceIdStrings)) this.tally.workspaces.set(ws, this.node.path);
    if (!this.bindsWorkspaces()) return;
    const settings = addressOf(this.settings);
    const each = forEachOver(`merge(${keyedEntries(settings, "workspace_ids", workspaceIds)}, ${keyedEntries(settings, "workspace_id_str" +
      "ings", workspaceIdStrings)})`);
    new MwsNccBinding(this, "Binding", {
      forEach: each,
      networkConnectivityConfigId: this.networkConnectivityConfigId,
      // A string of digits converts to a Terraform number exactly (arbitrary precision).
      workspaceId: expression("each.value"),
      provider: this.props.provider,
    });
  }

  /** Makes a checked plan's rules, principal, accepters and connections. */
  private connect(plan: RouterPlan): MwsNccPrivateEndpointRule[] {
    const { router } = plan;
    this.planner.commit(plan);
    router.allowPrincipal(this.principal);
    router._supportRegion(this.props.region, false);
    const rules = plan.rules.map((planned) => this.makeRule(router, planned));
    // Targets added later join these rules (or open new ones), checked before they are recorded.
    router._observe({
      checkRoute: (_, route) => this.planner.checkRoute(plan, route),
      routeAdded: (_, route) => this.routeAdded(plan, route),
    });
    if (!router.acceptanceRequired) {
      Annotations.of(this)
        .addWarning(`router ${router.node.path} has acceptanceRequired: false, and the Databricks principal ${this.principal} is shared ` +
          `by every Databricks customer in ${this.props.region}: any of them can connect to its endpoint services. Keep acceptance ` +
          `required.`);
    } else if (this.props.autoAcceptConnections ?? true) {
      this.accepter ??= new ConnectionAccepter(this, {
        region: this.props.region,
        nccName: this.nccName,
        settings: this.settings,
        provider: this.props.provider,
        awsProvider: this.props.awsProvider,
      });
      const accepted = this.accepter.accept(router, () => plan.rules.flatMap((r) => r.domains));
      this.accepters.set(router, accepted);
    }
    return rules;
  }

  /** A planned rule's resource: its domain names are the plan's, read again when a late target adds one. */
  private makeRule(router: PrivateLinkRouter, planned: PlannedRule): MwsNccPrivateEndpointRule {
    this.connectionList.push(...planned.connections);
    const rule = new MwsNccPrivateEndpointRule(this, `${routerKey(router, this)}Shard${planned.shard.index}`, {
      networkConnectivityConfigId: this.networkConnectivityConfigId,
      endpointService: planned.shard.endpointService.serviceName,
      domainNames: [...planned.domains],
      provider: this.props.provider,
    });
    this.ruleResources.set(planned, rule);
    this.ruleList.push(rule);
    return rule;
  }

  /** A target the router got after addRouter(): its rule (new for a new shard), connection and acceptance. */
  private routeAdded(plan: RouterPlan, route: RouterRoute): void {
    const opened = this.planner.addRoute(plan, route);
    if (opened) {
      this.makeRule(plan.router, opened);
      const accepter = this.accepters.get(plan.router);
      if (accepter?.dependsOn) accepter.dependsOn = [...accepter.dependsOn, dependable(opened.shard.endpointService)]; // none across stacks
      return;
    }
    const planned = plan.rules.find((r) => r.shard.index === route.shard)!;
    this.connectionList.push(planned.connections[planned.connections.length - 1]);
    this.ruleResources.get(planned)!.domainNames = [...planned.domains];
  }

  /** Throws when a workspace is already bound to another NCC of the app. */
  private checkWorkspacesUnbound(): void {
    for (const ws of literalWorkspaceIds(this.props.workspaceIds, this.props.workspaceIdStrings)) {
      const other = this.tally.workspaces.get(ws);
      if (other) {
        throw new ValidationError(`workspace ${ws} is already bound to ${other}; a workspace has one NCC (a second binding replaces the ` +
          `first): bind it once`, this);
      }
    }
  }

  private validateProps(props: DatabricksNccProps): void {
    if (props === null || typeof props !== "object") {
      throw new ValidationError(
        `the NCC's props must be an object like { region, provider, routers } (got ${show(props)}); pass DatabricksNccProps`, this);
    }
    if (props.provider !== undefined) requireProviderType(this, "provider", props.provider, "databricks");
    if (props.awsProvider !== undefined) requireProviderType(this, "awsProvider", props.awsProvider, "aws");
    validatePattern(this, "region", props.region, REGION, "an AWS region like us-east-1");
    if (props.region === undefined) throw new ValidationError(
      "`region` is missing; give the AWS region of the workspaces, e.g. \"us-east-1\"", this);
    if (props.name !== undefined && props.networkConnectivityConfigId !== undefined) {
      throw new ValidationError(
        `\`name\` and \`networkConnectivityConfigId\` are both set (got name ${show(props.name)}, ` +
        `id ${show(props.networkConnectivityConfigId)}); set \`name\` to create an NCC, or \`networkConnectivityConfigId\` to use an ` +
        `existing one`, this);
    }
    validatePattern(this, "name", props.name, NCC_NAME, "3-30 letters, digits, \"-\" or \"_\" (^[0-9a-zA-Z-_]{3,30}$)");
    if (props.networkConnectivityConfigId !== undefined && !isToken(props.networkConnectivityConfigId)
      && (typeof props.networkConnectivityConfigId !== "string" || !/^[0-9a-f-]{8,64}$/i.test(props.networkConnectivityConfigId))) {
      throw new ValidationError(
        `\`networkConnectivityConfigId\` must be an NCC id like 0a1b2c3d-4e5f-6789-abcd-ef0123456789 (` +
        `got ${show(props.networkConnectivityConfigId)}); use the id, not the "<account>/<id>" Terraform id`, this);
    }
    validateWorkspaceIds(this, props.workspaceIds, props.workspaceIdStrings);
    if (props.databricksPrincipal !== undefined) validatePrincipal(this, "databricksPrincipal", props.databricksPrincipal);
    const provider = props.provider ?? findDefaultProvider(TerraformStack.of(this), "databricks");
    if (!provider) {
      throw new ValidationError("no databricks provider: the stack declares no default databricks provider and `provider` is not set; " +
        'declare an account-level `new DatabricksProvider(stack, "databricks", { host: "https://accounts.cloud.databricks.com", ' +
        "accountId })` and pass it as `provider`", this);
    }
    requireAccountLevel(this, provider);
  }
}

/** Account console hosts (AWS commercial, GovCloud, GovCloud DoD): `databricks_mws_*` needs one. */
const ACCOUNT_HOST = /^https:\/\/accounts(-dod)?\.cloud\.databricks\.(com|us)\/?$/;

/**
 * Throws ValidationError unless the databricks provider is account-level: a literal `host` of an
 * account console, and an `accountId` (a token passes; an unset host may come from DATABRICKS_HOST).
 */
function requireAccountLevel(scope: IConstruct, provider: TerraformProvider): void {
  const { host, accountId } = provider as { host?: string; accountId?: string };
  if (typeof host === "string" && !isToken(host) && !ACCOUNT_HOST.test(host)) {
    throw new ValidationError(`the databricks provider ${provider.node.path} has host ${show(host)}, a workspace's; the NCC's ` +
      'resources (databricks_mws_*) need an account-level provider: host "https://accounts.cloud.databricks.com" (GovCloud: ' +
      "https://accounts.cloud.databricks.us) and `accountId`", scope);
  }
  if (accountId === undefined || accountId === null || accountId === "") {
    throw new ValidationError(`the databricks provider ${provider.node.path} has no \`accountId\` (got ${show(accountId)}); every ` +
      `databricks_mws_* resource needs it: set \`accountId\` (is DATABRICKS_ACCOUNT_ID unset?)`, scope);
  }
}

/** `ncc-<id>-<hash6>` within 30 characters of `[0-9a-zA-Z-]`. */
function defaultName(scope: IConstruct): string {
  const hash = shortHash(scope.node.path);
  return `ncc-${sanitize(scope.node.id).slice(0, 30 - 4 - 7).replace(/-$/, "")}-${hash}`.replace(/--+/g, "-");
}
