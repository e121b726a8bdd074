// The public PrivateLinkRouter: its constructor reads as the flow of data, target -> spec, port
// and shard, rule budget (target-placement.ts) -> locals and per-target resources (emit.ts),
// shards (router-shard.ts).
import { resolve as resolvePath } from "path";
import { Aspects, Lazy, TerraformProvider } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import { addressOf, expression } from "../core/expressions";
import { conditions } from "../core/cdktf-seam";
import { uniqueName } from "../core/names";
import { awsRegionOf, dnsProviderFor, requireAwsProvider } from "../core/providers";
import { show, validatePrincipal } from "../core/validate";
import { CrossRegion } from "./cross-region";
import { DatabaseAccess } from "./database-access";
import { TargetResources } from "./emit";
import { addOperations, validateOperations } from "./operations";
import { PORT_MAP_MODE_CONTEXT, PORT_MAP_MODE_ENV, PortMap, readPortMap, savePortMap } from "./port-map-file";
import { Placement } from "./port-planner";
import { resolveRouterSettings, RouterSettings } from "./router-settings";
import { IRouterShard, RouterShard } from "./router-shard";
import { TargetSpec } from "./target-spec";
import { asValidationError, routeOf, TargetPlacement } from "./target-placement";
import { RouterRoute, RouterTarget } from "./target-types";
import { PrivateLinkRouterProps } from "./types";

/**
 * @internal What follows a router's targets after it was connected (a DatabricksNcc): checked
 * before a late target is recorded, told once it is added, so that its rules and connections
 * are computed from the router's final targets.
 */
export interface RouterObserver {
  /** Throws ValidationError when `route` cannot join; records nothing. */
  checkRoute(router: PrivateLinkRouter, route: RouterRoute): void;
  /** The route was added (its shard exists now). */
  routeAdded(router: PrivateLinkRouter, route: RouterRoute): void;
}

/**
 * A PrivateLink router: internal Network Load Balancers behind VPC endpoint services, one
 * listener port per database, each forwarding to that database's IPs (resolved from DNS on
 * every plan) across Transit Gateway or peering.
 *
 * Per-target resources are emitted once each, as `for_each` over a map keyed by target name
 * (in `locals`), so synthesis costs about the same for 3 targets or 1,000 and a target's
 * Terraform address never depends on its position. Each shard (at most
 * `maxTargetsPerLoadBalancer` listeners) is one NLB, security group and endpoint service.
 */
export class PrivateLinkRouter extends Construct {
  /** Whether endpoint connections must be accepted (`acceptanceRequired`). */
  public readonly acceptanceRequired: boolean;
  /**
   * The AWS provider of the router's resources.
   * @default - the stack's default aws provider
   */
  public readonly awsProvider?: TerraformProvider;
  private readonly props: PrivateLinkRouterProps;
  private readonly settings: RouterSettings;
  private readonly portMapPath?: string;
  private readonly recorded: PortMap;
  private readonly placement: TargetPlacement;
  private readonly principals = new Set<string>();
  /** The allowed principals, sorted: one lazy list shared by every shard's endpoint service. */
  private readonly principalList = Lazy.listValue({ produce: () => [...this.principals].sort() });
  private readonly targetRoutes: RouterRoute[] = [];
  private readonly shardMap = new Map<number, RouterShard>();
  private readonly resources: TargetResources;
  private readonly access: DatabaseAccess;
  private crossRegion?: CrossRegion;
  private readonly observers: RouterObserver[] = [];

  /**
   * Validates every prop and target, then emits the router. Throws `ValidationError` on bad
   * input, before any resource is made.
   * @param scope the stack (or a construct in it); it must have an aws provider unless `awsProvider` is given
   * @param id construct id; AWS names and Terraform addresses derive from the construct path
   * @param props the VPC, subnets, targets and options
   */
  constructor(scope: Construct, id: string, props: PrivateLinkRouterProps) {
    super(scope, id);
    // 1. Props: validated, defaults filled in.
    this.props = props;
    this.settings = resolveRouterSettings(this, props);
    validateOperations(this, props, this.settings);
    this.acceptanceRequired = this.settings.acceptanceRequired;
    this.awsProvider = props.awsProvider;
    requireAwsProvider(this, props.awsProvider);
    (props.allowedPrincipals ?? []).forEach((p) => this.allowPrincipal(p));

    // 2. Ports and shards: the port map file, the planner, the rule budget.
    const s = this.settings;
    this.portMapPath = s.portMapFile === undefined ? undefined : resolvePath(process.cwd(), s.portMapFile);
    this.recorded =
      asValidationError(this, () => (this.portMapPath ? readPortMap(this.portMapPath) : { version: 1, targets: {}, retired: {} }));
    const pins = (props.targets ?? []).map((t) => t?.listenerPort).filter((p): p is number => typeof p === "number");
    this.placement = new TargetPlacement(this, s, this.recorded, pins);

    // 3. Every target is checked, the port map's records against them all, and each is placed,
    // before any resource is made.
    const specs = this.placement.specifyDeclared(props.targets ?? []);
    const initial = specs.map((spec) => this.place(spec));

    // 4. The locals and per-target resources; IP sync and alarms read them.
    this.resources = new TargetResources(this, {
      settings: s,
      shards: () => Object.fromEntries(this.shards.map((sh) => [String(sh.index), {
        load_balancer_arn: expression(addressOf(sh.loadBalancer, ".arn")),
        load_balancer_arn_suffix: expression(addressOf(sh.loadBalancer, ".arn_suffix")),
        security_group_id: expression(addressOf(sh.securityGroup, ".id")),
      }])),
      provider: props.awsProvider,
    });
    this.access = new DatabaseAccess(this, {
      settings: this.resources.settings,
      targets: this.resources.targets,
      literalIps: this.resources.literalIps,
      shards: this.resources.shards,
      provider: props.awsProvider,
    });
    addOperations(this, props, {
      name: uniqueName([s.serviceName, "ip-sync"], `${this.node.path}/ip-sync`, 64),
      settings: s,
      resources: this.resources,
      hostCount: () => this.targetRoutes.filter((r) => r.host !== undefined).length,
      shardServices: () => Object.fromEntries(this.shards.map((sh) => [String(sh.index), {
        service_id: expression(addressOf(sh.endpointService, ".id")),
        name: expression(addressOf(sh.loadBalancer, ".name")),
      }])),
    });
    if (this.portMapPath) {
      Aspects.of(this).add({ visit: (node: IConstruct) => { if (node === this) this._savePortMap(); } });
    }
    this.node.addValidation({
      validate: () => (this.targetRoutes.length === 0
        ? [`${this.node.path}: the router has no targets; pass \`targets\` or call addTarget()`] : []),
    });

    // 5. The planned targets join the map, and their shards are made.
    initial.forEach(([spec, placement]) => this.addPlanned(spec, placement));
  }

  /**
   * Adds a database; returns where notebooks reach it. Throws ValidationError for bad input,
   * before anything is added.
   * @param target the database: `host` or `ips`, `port`, and options
   */
  public addTarget(target: RouterTarget): RouterRoute {
    const [spec, placement] = this.place(this.placement.specify(target, () => false));
    const route = this.addPlanned(spec, placement);
    this.observers.forEach((o) => o.routeAdded(this, route));
    return route;
  }

  /** @internal Follows this router's later targets (a connected DatabricksNcc). */
  public _observe(observer: RouterObserver): void {
    this.observers.push(observer);
  }

  /**
   * Allows an IAM principal to create endpoints to every shard's service.
   * @param principalArn an IAM principal ARN (`arn:aws:iam::<account>:root|role/...|user/...`); never `*`
   */
  public allowPrincipal(principalArn: string): void {
    validatePrincipal(this, "allowedPrincipals", principalArn);
    this.principals.add(principalArn);
  }

  /**
   * The listener port of a target; throws ValidationError for an unknown name.
   * @param name the target's name
   */
  public portOf(name: string): number {
    const route = this.targetRoutes.find((r) => r.name === name);
    if (!route) {
      throw new ValidationError(
        `portOf(${show(name)}): no target has that name (targets: ${this.targetRoutes.map((r) => r.name).join(", ") || "none"}); use a ` +
        `target's \`name\``, this);
    }
    return route.listenerPort;
  }

  /** Every target's route, in declaration order. */
  public get routes(): RouterRoute[] {
    return [...this.targetRoutes];
  }

  /** The shards, by index. */
  public get shards(): IRouterShard[] {
    return [...this.shardMap.values()].sort((a, b) => a.index - b.index);
  }

  /**
   * The CIDR blocks of the load balancers' subnets (a token list): what a database's security
   * group must admit, on the ports in each route's `admit`. See also each shard's `securityGroupId`.
   */
  public get sourceCidrs(): string[] {
    return this.access.sourceCidrs;
  }

  /** The endpoint service names (`com.amazonaws.vpce.<region>.vpce-svc-...`), one per shard: tokens. */
  public get endpointServiceNames(): string[] {
    return this.shards.map((s) => s.endpointService.serviceName);
  }

  /**
   * @internal Lets consumers in `region` (a DatabricksNcc's) connect: with `check`, only throws
   * ValidationError when the router cannot serve that region; otherwise lists it on every shard's
   * endpoint service when it is not the router's own (cross-region PrivateLink).
   */
  public _supportRegion(region: string, check: boolean): void {
    if (!this.crossRegion) {
      this.crossRegion = new CrossRegion(this, {
        hostRegion: awsRegionOf(this, this.awsProvider),
        subnetIds: this.settings.subnetIds,
        subnets: this.access.subnets,
        shards: () => this.shards,
        provider: this.awsProvider,
      });
    }
    if (check) this.crossRegion.check(region);
    else this.crossRegion.add(region);
  }

  /**
   * @internal Writes the port map file (run by an aspect during synthesis), or in read-only mode
   * (context `cdktf-privatelink-router:portMapFile` or env `PRIVATELINK_ROUTER_PORT_MAP` set to
   * "read-only") throws ValidationError when the file would change.
   */
  public _savePortMap(): void {
    const mode = this.node.tryGetContext(PORT_MAP_MODE_CONTEXT) ?? process.env[PORT_MAP_MODE_ENV];
    if (this.portMapPath) asValidationError(this, () =>
      savePortMap(this.portMapPath!, this.recorded, this.targetRoutes, mode === "read-only"));
  }

  /** Places a checked target (the observers may refuse it); records it, makes nothing. */
  private place(spec: TargetSpec): [TargetSpec, Placement] {
    return this.placement.place(spec, (route) => this.observers.forEach((o) => o.checkRoute(this, route)));
  }

  /** Adds a planned target to the map, its route to its shard (made on first use), and the DNS lookup for a host. */
  private addPlanned(spec: TargetSpec, placement: Placement): RouterRoute {
    this.resources.add(spec, placement, this.node.path);
    const route = routeOf(spec, placement);
    this.targetRoutes.push(route);
    // With IP sync, the function resolves hosts inside the VPC; Terraform does not.
    if (route.host !== undefined && !this.props.ipSync) this.resources.lookUpHosts(() => dnsProviderFor(this, this.props.dnsProvider));
    this.shardFor(route.shard)._addRoute(route);
    return route;
  }

  private shardFor(index: number): RouterShard {
    let shard = this.shardMap.get(index);
    if (!shard) {
      const s = this.settings;
      shard = new RouterShard(this, `Shard${index}`, {
        index,
        name: uniqueName([s.serviceName, String(index)], `${this.node.path}/${index}`),
        serviceName: s.serviceName,
        vpcId: s.vpcId,
        subnetIds: s.subnetIds,
        crossZoneLoadBalancing: s.crossZoneLoadBalancing,
        enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: s.enforceInboundRulesOnPrivateLink,
        acceptanceRequired: s.acceptanceRequired,
        allowedPrincipals: this.principalList,
        sourceCidrs: this.access.sourceCidrs,
        tags: this.resources.tags,
        provider: this.props.awsProvider,
      });
      // One check for every shard, on the first shard's security group (shard 0 always exists).
      if (index === 0) shard.securityGroup.lifecycle =
        { precondition: conditions(this, this.resources.ruleQuotaConditions(this.node.path)) };
      this.shardMap.set(index, shard);
    }
    return shard;
  }
}
