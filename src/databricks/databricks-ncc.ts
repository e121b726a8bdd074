import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { DataDatabricksMwsNetworkConnectivityConfig } from "@cdktf/provider-databricks/lib/data-databricks-mws-network-connectivity-config";
import { DataDatabricksMwsNetworkConnectivityConfigs } from "@cdktf/provider-databricks/lib/data-databricks-mws-network-connectivity-configs";
import { MwsNccBinding } from "@cdktf/provider-databricks/lib/mws-ncc-binding";
import { MwsNccPrivateEndpointRule } from "@cdktf/provider-databricks/lib/mws-ncc-private-endpoint-rule";
import { MwsNetworkConnectivityConfig } from "@cdktf/provider-databricks/lib/mws-network-connectivity-config";
import { Annotations, App, Lazy, TerraformIterator, TerraformLocal, TerraformOutput, TerraformProvider, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import { escapeTemplate, expr, literal, ref } from "../core/expressions";
import { findDefaultProvider } from "../core/providers";
import { sanitize, shortHash } from "../core/names";
import { isToken, show, validateHostname, validatePattern, validatePrincipal } from "../core/validate";
import { PrivateLinkRouter } from "../router/private-link-router";
import { RouterShard } from "../router/router-shard";

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

/** The oldest databricks provider that updates a private endpoint rule in place (1.106.0). */
export const MIN_DATABRICKS_PROVIDER = ">= 1.106.0";

const NCC_NAME = /^[0-9a-zA-Z-_]{3,30}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Options of `DatabricksNcc.addRouter`. */
export interface RouterConnectionOptions {
  /**
   * The domain names of the router's rule, at most 10: the names notebooks use with the
   * listener ports. Only for a router with one shard (a name can lead to one endpoint only).
   * Required when the router's targets are all literal IPs. A name other than the database's
   * own hostname breaks TLS hostname verification.
   * @default - the distinct target hosts of each shard (<= 10 per rule)
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
   * its previous one.
   * @default []
   */
  readonly workspaceIds?: number[];
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
   * The AWS provider of the connection accepters.
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
}

/** What the plans of one call will add, so that later plans in the same call see it. */
interface Pending {
  rules: number;
  readonly domains: Map<string, string>;
  readonly routers: Set<PrivateLinkRouter>;
  readonly ids: Set<string>;
}
const newPending = (): Pending => ({ rules: 0, domains: new Map(), routers: new Set(), ids: new Set() });

/** A router's checked rules: one per shard, with its domain names. */
interface RouterPlan {
  readonly router: PrivateLinkRouter;
  readonly rules: { shard: RouterShard; domains: string[] }[];
}

/** App-wide counts per (account-level provider, region). */
interface Tally {
  rules: number;
  nccs: Set<string>;
  workspaces: Map<number, string>;
}
const TALLIES = new WeakMap<object, Map<string, Tally>>();

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
  private readonly ruleList: MwsNccPrivateEndpointRule[] = [];
  private readonly domainOwners = new Map<string, string>();
  private readonly connectionList: NotebookConnection[] = [];
  private readonly connectedRouters = new Map<PrivateLinkRouter, number>();
  private readonly nccName?: string;
  private endpoints?: TerraformLocal;
  private readonly settings: TerraformLocal;

  /**
   * @param scope the stack (or a construct in it) that holds the account-level databricks provider
   * @param id construct id; the default NCC name is derived from the construct path
   * @param props the region, the NCC to create or reuse, workspaces and routers
   */
  constructor(scope: Construct, id: string, props: DatabricksNccProps) {
    super(scope, id);
    this.props = props;
    this.validateProps(props);
    this.principal = props.databricksPrincipal ?? DatabricksNcc.principalFor(props.region);
    this.tally = this.tallyFor();
    const existing = props.networkConnectivityConfigId;
    this.nccName = existing === undefined ? props.name ?? defaultName(this) : undefined;
    const nccKey = existing ?? `name:${this.nccName}`;
    if (!this.tally.nccs.has(nccKey) && this.tally.nccs.size >= DATABRICKS_LIMITS.nccsPerRegion) {
      throw new ValidationError(`this would be NCC number ${this.tally.nccs.size + 1} in ${props.region} for one Databricks account; Databricks allows ${DATABRICKS_LIMITS.nccsPerRegion} per region: share an NCC between workspaces (up to ${DATABRICKS_LIMITS.workspacesPerNcc}) instead`, this);
    }
    // Every router is checked before any resource is made.
    const pending = newPending();
    const plans = (props.routers ?? []).map((r) => this.planRouter(r, {}, pending));

    this.tally.nccs.add(nccKey);
    // The bindings pin databricks/databricks 1.99.0, whose rule updates always fail
    // (terraform-provider-databricks #5306, fixed in 1.106.0): require a version that works.
    TerraformStack.of(this).addOverride("terraform.required_providers.databricks.version", MIN_DATABRICKS_PROVIDER);
    if (existing !== undefined) {
      this.networkConnectivityConfigId = existing;
    } else {
      const ncc = new MwsNetworkConnectivityConfig(this, "Config", { name: this.nccName!, region: props.region, provider: props.provider });
      this.networkConnectivityConfigId = ncc.networkConnectivityConfigId;
    }

    // The NCC's own values, for expressions: as literals or tokens, never in expression text.
    this.settings = new TerraformLocal(this, "settings", literal(this, () => ({
      name: this.nccName ?? null,
      id: existing ?? null,
      workspace_ids: props.workspaceIds ?? [],
    })));
    const workspaceIds = props.workspaceIds ?? [];
    for (const ws of isToken(workspaceIds) ? [] : workspaceIds) if (!isToken(ws)) this.tally.workspaces.set(ws, this.node.path);
    if (isToken(workspaceIds) || workspaceIds.length > 0) {
      // Keyed by workspace id (a token id too: Terraform builds the keys from the values).
      const each = TerraformIterator.fromMap(expr(`{ for w in ${ref(this.settings)}.workspace_ids : tostring(w) => w }`));
      new MwsNccBinding(this, "Binding", {
        forEach: each,
        networkConnectivityConfigId: this.networkConnectivityConfigId,
        workspaceId: expr("each.value"),
        provider: props.provider,
      });
    }

    new TerraformOutput(this, "connections", {
      description: "What notebook users connect to: one entry per database, address = <domain name>:<listener port>",
      // Sorted by target name: the output does not depend on the order targets were declared in.
      value: Lazy.anyValue({ produce: () => [...this.connectionList].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }),
    });
    this.node.addValidation({ validate: () => this.uncoveredShards() });
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
   * Call it after the router has all its targets. Returns the rules, in shard order.
   * @param router the router to connect
   * @param options domain names (default: each shard's distinct target hosts)
   */
  public addRouter(router: PrivateLinkRouter, options: RouterConnectionOptions = {}): MwsNccPrivateEndpointRule[] {
    return this.connect(this.planRouter(router, options, newPending()));
  }

  /**
   * Checks a router against every limit and returns its rules' plan; makes nothing.
   * `pending` carries what earlier plans of the same call will add (rules, domain names).
   */
  private planRouter(router: PrivateLinkRouter, options: RouterConnectionOptions, pending: Pending): RouterPlan {
    if (!(router instanceof PrivateLinkRouter)) {
      throw new ValidationError(`addRouter() needs a PrivateLinkRouter (got ${show(router)}); pass the router construct`, this);
    }
    if (this.connectedRouters.has(router) || pending.routers.has(router)) {
      throw new ValidationError(`addRouter(): router ${router.node.path} is already connected to this NCC; connect each router once`, this);
    }
    const shards = router.shards;
    if (shards.length === 0) {
      throw new ValidationError(`addRouter(): router ${router.node.path} has no targets yet; add its targets first, then call addRouter()`, this);
    }
    const idBase = router.node.id;
    if (this.node.tryFindChild(`${idBase}Shard${shards[0].index}`) || pending.ids.has(idBase)) {
      throw new ValidationError(`addRouter(): another router with the id "${idBase}" is already connected; give routers distinct construct ids`, this);
    }
    const rules = shards.map((shard) => ({ shard, domains: this.domainsFor(router, shard.index, shard.routes, options, pending) }));
    const total = this.tally.rules + pending.rules + rules.length;
    if (total > DATABRICKS_LIMITS.rulesPerRegion) {
      throw new ValidationError(`router ${router.node.path} needs ${rules.length} private endpoint rule(s), bringing ${this.props.region} to ${total}; Databricks allows ${DATABRICKS_LIMITS.rulesPerRegion} per region across all NCCs: raise \`maxTargetsPerLoadBalancer\` (fewer shards) or connect fewer routers`, this);
    }
    pending.rules += rules.length;
    pending.routers.add(router);
    pending.ids.add(idBase);
    for (const { shard, domains } of rules) domains.forEach((d) => pending.domains.set(d.toLowerCase(), `${router.node.path} shard ${shard.index}`));
    return { router, rules };
  }

  /** Makes a checked plan's rules, principal, accepters and connections. */
  private connect({ router, rules: plan }: RouterPlan): MwsNccPrivateEndpointRule[] {
    const idBase = router.node.id;
    this.tally.rules += plan.length;
    this.connectedRouters.set(router, plan.length);
    router.allowPrincipal(this.principal);
    const rules = plan.map(({ shard, domains }) => {
      domains.forEach((d) => this.domainOwners.set(d.toLowerCase(), `${router.node.path} shard ${shard.index}`));
      // A target without its own domain name is reached through a name that is no database's host.
      const hosts = new Set(shard.routes.map((r) => r.host));
      const spare = domains.find((d) => !hosts.has(d));
      for (const route of shard.routes) {
        const domainName = route.host && domains.includes(route.host) ? route.host : spare ?? domains[0];
        this.connectionList.push({
          name: route.name,
          database: route.host ?? (route.ips ?? []).join(","),
          domainName,
          port: route.listenerPort,
          address: `${domainName}:${route.listenerPort}`,
          shard: route.shard,
        });
      }
      const rule = new MwsNccPrivateEndpointRule(this, `${idBase}Shard${shard.index}`, {
        networkConnectivityConfigId: this.networkConnectivityConfigId,
        endpointService: shard.endpointService.serviceName,
        domainNames: domains,
        provider: this.props.provider,
      });
      this.ruleList.push(rule);
      return rule;
    });
    if (!router.acceptanceRequired) {
      Annotations.of(this).addWarning(`router ${router.node.path} has acceptanceRequired: false, and the Databricks principal ${this.principal} is shared by every Databricks customer in ${this.props.region}: any of them can connect to its endpoint services. Keep acceptance required.`);
    } else if (this.props.autoAcceptConnections ?? true) {
      this.acceptFor(router, plan.flatMap((p) => p.domains));
    }
    return rules;
  }

  private validateProps(props: DatabricksNccProps): void {
    validatePattern(this, "region", props.region, REGION, "an AWS region like us-east-1");
    if (props.region === undefined) throw new ValidationError("`region` is missing; give the AWS region of the workspaces, e.g. \"us-east-1\"", this);
    if (props.name !== undefined && props.networkConnectivityConfigId !== undefined) {
      throw new ValidationError(`\`name\` and \`networkConnectivityConfigId\` are both set (got name ${show(props.name)}, id ${show(props.networkConnectivityConfigId)}); set \`name\` to create an NCC, or \`networkConnectivityConfigId\` to use an existing one`, this);
    }
    validatePattern(this, "name", props.name, NCC_NAME, "3-30 letters, digits, \"-\" or \"_\" (^[0-9a-zA-Z-_]{3,30}$)");
    if (props.networkConnectivityConfigId !== undefined && !isToken(props.networkConnectivityConfigId)
      && (typeof props.networkConnectivityConfigId !== "string" || !/^[0-9a-f-]{8,64}$/i.test(props.networkConnectivityConfigId))) {
      throw new ValidationError(`\`networkConnectivityConfigId\` must be an NCC id like 0a1b2c3d-4e5f-6789-abcd-ef0123456789 (got ${show(props.networkConnectivityConfigId)}); use the id, not the "<account>/<id>" Terraform id`, this);
    }
    const ws = isToken(props.workspaceIds) ? [] : props.workspaceIds ?? [];
    if (ws.length > DATABRICKS_LIMITS.workspacesPerNcc) {
      throw new ValidationError(`\`workspaceIds\` lists ${ws.length} workspaces; an NCC serves at most ${DATABRICKS_LIMITS.workspacesPerNcc}: split them across two NCCs`, this);
    }
    ws.forEach((w, i) => {
      if (!isToken(w) && (typeof w !== "number" || !Number.isSafeInteger(w) || w <= 0)) {
        throw new ValidationError(`\`workspaceIds[${i}]\` must be a positive whole number, the workspace id (got ${show(w)}); copy it from the workspace URL (?o=<id>)`, this);
      }
      if (ws.indexOf(w) !== i) throw new ValidationError(`\`workspaceIds\` lists ${w} twice; list each workspace once`, this);
    });
    if (props.databricksPrincipal !== undefined) validatePrincipal(this, "databricksPrincipal", props.databricksPrincipal);
    if (!props.provider && !findDefaultProvider(TerraformStack.of(this), "databricks")) {
      throw new ValidationError(`no databricks provider: the stack declares no default databricks provider and \`provider\` is not set; declare an account-level \`new DatabricksProvider(stack, "databricks", { host: "https://accounts.cloud.databricks.com", accountId })\` and pass it as \`provider\``, this);
    }
  }

  /** The app-wide tally of this NCC's provider and region; checks workspaces bound elsewhere. */
  private tallyFor(): Tally {
    const app = App.of(this) ?? this.node.root;
    if (!TALLIES.has(app)) TALLIES.set(app, new Map());
    const providerKey = this.props.provider?.node.path ?? `${TerraformStack.of(this).node.path}/<default databricks provider>`;
    const key = `${providerKey}|${this.props.region}`;
    const tallies = TALLIES.get(app)!;
    if (!tallies.has(key)) tallies.set(key, { rules: 0, nccs: new Set(), workspaces: new Map() });
    const tally = tallies.get(key)!;
    for (const ws of isToken(this.props.workspaceIds) ? [] : this.props.workspaceIds ?? []) {
      const other = tally.workspaces.get(ws);
      if (other) {
        throw new ValidationError(`workspace ${ws} is already bound to ${other}; a workspace has one NCC (a second binding replaces the first): bind it once`, this);
      }
    }
    return tally;
  }

  /** The domain names of one shard's rule, checked against Databricks' limits. */
  private domainsFor(router: PrivateLinkRouter, index: number, routes: { host?: string }[], options: RouterConnectionOptions, pending: Pending): string[] {
    const where = `router ${router.node.path} shard ${index}`;
    let domains: string[];
    if (options.domainNames !== undefined) {
      if (router.shards.length > 1) {
        throw new ValidationError(`addRouter(): \`domainNames\` was given for ${router.node.path}, which has ${router.shards.length} shards; a domain name leads to one endpoint, so explicit names only fit a one-shard router: use \`host\` targets (their hosts become each shard's names) or split the router`, this);
      }
      domains = [...options.domainNames];
      domains.forEach((d, i) => validateHostname(this, `domainNames[${i}]`, d));
    } else {
      domains = [...new Set(routes.map((r) => r.host).filter((h): h is string => h !== undefined))].sort();
      if (domains.length === 0) {
        throw new ValidationError(`${where} has only literal-IP targets, so it has no domain name for its rule; pass \`domainNames\` to addRouter() (e.g. a name in a private zone you control)`, this);
      }
    }
    if (domains.length === 0) {
      throw new ValidationError(`addRouter(): \`domainNames\` is empty for ${where}; give 1-${DATABRICKS_LIMITS.domainNamesPerRule} names`, this);
    }
    if (domains.length > DATABRICKS_LIMITS.domainNamesPerRule) {
      throw new ValidationError(`${where} needs ${domains.length} domain names, over Databricks' ${DATABRICKS_LIMITS.domainNamesPerRule} per private endpoint rule; set \`maxTargetsPerLoadBalancer: 10\` on the router (at most 10 hosts per shard) or pass fewer \`domainNames\``, this);
    }
    for (const d of domains) {
      if (domains.filter((x) => x.toLowerCase() === d.toLowerCase()).length > 1) {
        throw new ValidationError(`addRouter(): \`domainNames\` lists ${show(d)} twice (domain names are case-insensitive); list each name once`, this);
      }
      const owner = this.domainOwners.get(d.toLowerCase()) ?? pending.domains.get(d.toLowerCase());
      if (owner) {
        throw new ValidationError(`the domain name ${show(d)} would appear in two rules of this NCC (${where} and ${owner}); a name leads to one endpoint: give each database host a single router shard`, this);
      }
    }
    return domains;
  }

  /**
   * Accepts the connections of this NCC's rules to the router's services. Databricks creates
   * the endpoint after the rule, so the accepters are keyed by rule id as read back from the
   * NCC data sources, which only read an NCC that already exists: the first plan accepts
   * nothing, the next apply accepts.
   *
   * A rule is accepted when it carries the router's domain names and points at one of the
   * router's endpoint services. The two filters run one after the other: a service name is
   * unknown while its shard is being created, and an unknown in the first filter would make the
   * whole `for_each` unknown. A rule with the router's names that points elsewhere is left alone
   * and reported by a `check` block (a warning, not a failed plan), except on a plan where one of
   * the router's services is being created: Terraform 1.11 cannot tell an unknown name from a
   * different one, so that plan fails with "Invalid for_each argument" (README, "Things to know").
   */
  private acceptFor(router: PrivateLinkRouter, domains: string[]): void {
    const endpoints = this.readEndpoints();
    const id = router.node.id;
    const routerValues = new TerraformLocal(this, `${id}_domains`, literal(this, () => domains));
    const services = new TerraformLocal(this, `${id}_services`, Lazy.anyValue({ produce: () => router.endpointServiceNames }));
    const named = new TerraformLocal(this, `${id}_rules`,
      expr(`{ for id, r in ${ref(endpoints)} : id => r if try(length(setintersection(toset(r.domain_names), toset(${ref(routerValues)}))) > 0, false) }`));
    const each = TerraformIterator.fromMap(expr(`{ for id, r in ${ref(named)} : id => r if contains(${ref(services)}, r.endpoint_service) }`));
    new VpcEndpointConnectionAccepter(this, `${id}Accept`, {
      forEach: each,
      vpcEndpointId: each.getString("vpc_endpoint_id"),
      // From the rule as read back (known at plan time), never from the router's resources: a
      // shard added in the same plan has an unknown service, and an unknown value in this
      // replace-forcing attribute would plan every existing accepter for replacement, which
      // rejects its connection.
      vpcEndpointServiceId: expr("regex(\"vpce-svc-[0-9a-z]+$\", each.value.endpoint_service)"),
      provider: this.props.awsProvider ?? router.awsProvider,
      // Destroyed before the services: destroying an accepter rejects its connection, and AWS
      // refuses to delete a service that still has one (ExistingVpcEndpointConnections).
      dependsOn: router.shards.map((s) => s.endpointService),
    });
    TerraformStack.of(this).addOverride(`check.${ref(named).replace(/^local\./, "")}_point_at_router`, {
      assert: [{
        condition: expr(`alltrue([for r in values(${ref(named)}) : contains(${ref(services)}, r.endpoint_service)])`),
        // A template: the construct paths are escaped text, the list is Terraform's.
        error_message: `Rules of NCC ${escapeTemplate(this.node.path)} carry the domain names of router ${escapeTemplate(router.node.path)} but point at another endpoint service, so they are not accepted: \${join(", ", [for id, r in ${ref(named)} : "\${id} (\${r.endpoint_service})" if !contains(${ref(services)}, r.endpoint_service)])}. Delete them, or give the router other domain names.`,
      }],
    });
  }

  /** The NCC's endpoint rules that have an endpoint, by rule id, read on every plan. */
  private readEndpoints(): TerraformLocal {
    if (this.endpoints) return this.endpoints;
    const provider = this.props.provider;
    const list = new DataDatabricksMwsNetworkConnectivityConfigs(this, "Existing", { region: this.props.region, provider });
    // A created NCC is found by its name; an existing one by its id (every NCC of the region is read).
    const byName = this.nccName !== undefined ? ` if n == ${ref(this.settings)}.name` : "";
    const read = new DataDatabricksMwsNetworkConnectivityConfig(this, "Read", {
      forEach: TerraformIterator.fromMap(expr(`{ for n in ${ref(list, ".names")} : n => n${byName} }`)),
      name: expr("each.value"),
      provider,
    });
    const byId = this.nccName === undefined ? ` && r.network_connectivity_config_id == ${ref(this.settings)}.id` : "";
    this.endpoints = new TerraformLocal(this, "endpoints",
      expr(`{ for r in flatten([for n in ${ref(read)} : try(n.egress_config[0].target_rules[0].aws_private_endpoint_rules, [])]) : r.rule_id => r if try(length(r.vpc_endpoint_id) > 0, false)${byId} }`));
    return this.endpoints;
  }

  /** Validation at synthesis: shards added to a router after addRouter() have no rule. */
  private uncoveredShards(): string[] {
    return [...this.connectedRouters].filter(([r, n]) => r.shards.length !== n).map(([r, n]) =>
      `${this.node.path}: router ${r.node.path} has ${r.shards.length} shards but addRouter() saw ${n}; call addRouter() after adding every target`);
  }
}

/** `ncc-<id>-<hash6>` within 30 characters of `[0-9a-zA-Z-]`. */
function defaultName(scope: IConstruct): string {
  const hash = shortHash(scope.node.path);
  return `ncc-${sanitize(scope.node.id).slice(0, 30 - 4 - 7).replace(/-$/, "")}-${hash}`.replace(/--+/g, "-");
}
