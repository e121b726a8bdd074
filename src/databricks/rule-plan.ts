// Plans a router's private endpoint rules before anything is made: one rule per shard with its
// targets' domain names, checked against Databricks' limits and the NCC's other rules.
import { TerraformProvider, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import { awsRegionOf } from "../core/providers";
import { isToken, show, validateHostname } from "../core/validate";
import { normalizeDnsName } from "../router/target-spec";
import { PrivateLinkRouter } from "../router/private-link-router";
import { IRouterShard } from "../router/router-shard";
import { RouterRoute } from "../router/target-types";
import { DATABRICKS_LIMITS, Tally } from "./limits";
import { NotebookConnection, RouterConnectionOptions } from "./types";

/**
 * One planned rule: a shard, its domain names (sorted), and what each of its targets connects
 * to. The lists grow when the router gets a late target (addRoute).
 */
export interface PlannedRule {
  readonly shard: IRouterShard;
  readonly domains: string[];
  readonly connections: NotebookConnection[];
  /** The name a target without its own among explicit `domainNames` is reached by. */
  readonly spare: string;
}

/** A router's checked rules, in shard order. */
export interface RouterPlan {
  readonly router: PrivateLinkRouter;
  readonly rules: PlannedRule[];
  /** The deprecated explicit `domainNames`, when given. */
  readonly given?: string[];
}

/**
 * Plans rules for the routers of one NCC. `plan` checks and reserves (rules, domain names, ids)
 * so that later plans see earlier ones; nothing is made until the NCC connects the plan.
 */
export class RulePlanner {
  /** Lower-case domain name -> "<router path> shard <n>", for every planned rule. */
  private readonly domainOwners = new Map<string, string>();
  private readonly routers = new Set<PrivateLinkRouter>();
  private readonly ids = new Set<string>();
  /** Rules planned but not yet connected (the app-wide tally counts connected ones). */
  private pendingRules = 0;

  constructor(private readonly scope: IConstruct, private readonly tally: Tally, private readonly region: string,
    private readonly awsProvider?: TerraformProvider) {}

  /** Checks a router against every limit and reserves its rules; throws ValidationError. */
  public plan(router: PrivateLinkRouter, options: RouterConnectionOptions): RouterPlan {
    if (!(router instanceof PrivateLinkRouter)) {
      throw new ValidationError(`addRouter() needs a PrivateLinkRouter (got ${show(router)}); pass the router construct`, this.scope);
    }
    if (this.routers.has(router)) {
      throw new ValidationError(`addRouter(): router ${router.node.path} is already connected to this NCC; connect each router once`,
        this.scope);
    }
    const [routerStack, nccStack] = [TerraformStack.of(router), TerraformStack.of(this.scope)];
    if (routerStack !== nccStack) {
      // Two stacks (two teams, two states): the rules reach the router's services through cdktf's
      // cross-stack references; the accepters act in the router's account with the NCC's own provider.
      if (!this.awsProvider) {
        throw new ValidationError(
          `addRouter(): router ${router.node.path} is in stack ${routerStack.node.path}, this NCC in stack ${nccStack.node.path}, and ` +
          `the NCC has no \`awsProvider\`; the NCC accepts the router's endpoint connections from its own stack: give ` +
          `it \`awsProvider\`, an aws provider in stack ${nccStack.node.path} for the router's account and region`, this.scope);
      }
      if (TerraformStack.of(this.awsProvider) !== nccStack) {
        throw new ValidationError(
          `\`awsProvider\` ${this.awsProvider.node.path} is in stack ${TerraformStack.of(this.awsProvider).node.path}, not in this ` +
          `NCC's stack ${nccStack.node.path}; a resource can only use a provider of its own stack: declare an aws provider ` +
          `in ${nccStack.node.path} for the router's account and region`, this.scope);
      }
    }
    if (this.awsProvider) {
      // The accepters act where the router's services are: the same region, when both are literal.
      const [accepterRegion, routerRegion] = [awsRegionOf(this.scope, this.awsProvider), awsRegionOf(router, router.awsProvider)];
      if (typeof accepterRegion === "string" && typeof routerRegion === "string" && !isToken(accepterRegion) && !isToken(routerRegion) &&
        accepterRegion !== routerRegion) {
        throw new ValidationError(`\`awsProvider\` ${this.awsProvider.node.path} is in ${accepterRegion}, but ` +
          `router ${router.node.path}'s endpoint services are in ${routerRegion}; the accepters must act where the services are: give ` +
          `an aws provider for ${routerRegion} (the router's account), or leave \`awsProvider\` unset to use the router's own`, this.scope);
      }
    }
    const shards = router.shards;
    if (shards.length === 0) {
      throw new ValidationError(`addRouter(): router ${router.node.path} has no targets yet; add its targets first, then call addRouter()`,
        this.scope);
    }
    if (this.ids.has(routerKey(router, this.scope))) {
      throw new ValidationError(`addRouter(): another router with the id "${router.node.id}" is already connected; give routers ` +
        `distinct construct ids`, this.scope);
    }
    if (options.domainNames !== undefined && shards.length > 1) {
      throw new ValidationError(`addRouter(): \`domainNames\` was given for ${router.node.path}, which has ${shards.length} shards; a ` +
        `domain name leads to one endpoint, so explicit names only fit a one-shard router: give each target its \`domainName\` instead`,
          this.scope);
    }
    router._supportRegion(this.region, true);
    const given = options.domainNames?.map((d, i) => {
      validateHostname(this.scope, `domainNames[${i}]`, d);
      return normalizeDnsName(d);
    });
    const rules = shards.map((shard) => this.planRule(router, shard, given));
    const total = this.tally.rules + this.pendingRules + rules.length;
    if (total > DATABRICKS_LIMITS.rulesPerRegion) {
      throw new ValidationError(
        `router ${router.node.path} needs ${rules.length} private endpoint rule(s), bringing ${this.region} to ${total}; Databricks ` +
        `allows ${DATABRICKS_LIMITS.rulesPerRegion} per region across all NCCs: raise \`maxTargetsPerLoadBalancer\` (fewer shards) or ` +
        `connect fewer routers`, this.scope);
    }
    // Every check passed: reserve.
    this.pendingRules += rules.length;
    this.routers.add(router);
    this.ids.add(routerKey(router, this.scope));
    for (const { shard, domains } of rules) domains.forEach((d) =>
      this.domainOwners.set(d.toLowerCase(), `${router.node.path} shard ${shard.index}`));
    return { router, rules, given };
  }

  /**
   * Checks a target added to a connected router after addRouter(): its domain name must fit its
   * shard's rule (or a new rule for a new shard) under every limit. Throws ValidationError;
   * records nothing.
   */
  public checkRoute(plan: RouterPlan, route: RouterRoute): void {
    const where = `router ${plan.router.node.path} shard ${route.shard}`;
    const rule = plan.rules.find((r) => r.shard.index === route.shard);
    if (plan.given !== undefined) {
      if (!rule) {
        throw new ValidationError(`target ${show(route.name)} opens ${where}, but ${plan.router.node.path} was connected with ` +
          `explicit \`domainNames\`, which only fit a one-shard router; give each target its \`domainName\` and connect the router ` +
          `without \`domainNames\``, this.scope);
      }
      return;
    }
    if (route.domainName === undefined) throw this.nameless(route.name, where);
    const d = route.domainName.toLowerCase();
    if (rule?.domains.some((x) => x.toLowerCase() === d)) return;
    const count = (rule?.domains.length ?? 0) + 1;
    if (count > DATABRICKS_LIMITS.domainNamesPerRule) throw this.tooManyNames(where, count);
    const owner = this.domainOwners.get(d);
    if (owner) throw this.twoRules(route.domainName, where, owner);
    if (!rule && this.tally.rules + this.pendingRules + 1 > DATABRICKS_LIMITS.rulesPerRegion) {
      throw new ValidationError(
        `target ${show(route.name)} opens ${where}, which needs private endpoint rule ` +
        `number ${this.tally.rules + this.pendingRules + 1} in ${this.region}; Databricks allows ${DATABRICKS_LIMITS.rulesPerRegion} ` +
        `per region across all NCCs: raise \`maxTargetsPerLoadBalancer\` (fewer shards) or connect fewer routers`, this.scope);
    }
  }

  /** Adds a checked late target to its plan; returns its rule when the target opened a new shard. */
  public addRoute(plan: RouterPlan, route: RouterRoute): PlannedRule | undefined {
    const existing = plan.rules.find((r) => r.shard.index === route.shard);
    const shard = plan.router.shards.find((s) => s.index === route.shard)!;
    const rule = existing ?? { shard, domains: [], connections: [], spare: route.domainName! };
    if (route.domainName !== undefined && plan.given === undefined &&
      !rule.domains.some((x) => x.toLowerCase() === route.domainName!.toLowerCase())) {
      rule.domains.push(route.domainName);
      rule.domains.sort();
      this.domainOwners.set(route.domainName.toLowerCase(), `${plan.router.node.path} shard ${route.shard}`);
    }
    rule.connections.push(connectionOf(route, rule.domains, rule.spare));
    if (existing) return undefined;
    plan.rules.push(rule);
    this.tally.rules += 1;
    return rule;
  }

  private nameless(name: string, where: string): ValidationError {
    return new ValidationError(`target ${show(name)} of ${where} has literal \`ips\` and no \`domainName\`, so notebooks would have no ` +
      `name to reach it by; set \`domainName\` on the target (a name in a private zone you control, e.g. "${name}.db.internal")`,
        this.scope);
  }

  private tooManyNames(where: string, count: number): ValidationError {
    return new ValidationError(`${where} needs ${count} domain names, over Databricks' ${DATABRICKS_LIMITS.domainNamesPerRule} per ` +
      `private endpoint rule; lower \`maxTargetsPerLoadBalancer\` on the router to ${DATABRICKS_LIMITS.domainNamesPerRule} (at ` +
      `most ${DATABRICKS_LIMITS.domainNamesPerRule} names per shard), or let targets share a \`domainName\``, this.scope);
  }

  private twoRules(name: string, where: string, owner: string): ValidationError {
    return new ValidationError(`the domain name ${show(name)} would appear in two rules of this NCC (${where} and ${owner}); a name ` +
      `leads to one endpoint: give each domain name to targets of a single router shard`, this.scope);
  }

  /** Counts a plan's rules in the app-wide tally, once its resources are made. */
  public commit(plan: RouterPlan): void {
    this.pendingRules -= plan.rules.length;
    this.tally.rules += plan.rules.length;
  }

  /** A shard's rule: its domain names (given, or its targets' own) and each target's connection. */
  private planRule(router: PrivateLinkRouter, shard: IRouterShard, given: string[] | undefined): PlannedRule {
    const where = `router ${router.node.path} shard ${shard.index}`;
    if (given === undefined) {
      const nameless = shard.routes.find((r) => r.domainName === undefined);
      if (nameless) throw this.nameless(nameless.name, where);
    }
    const domains = given ? [...given] : distinctNames(shard.routes.map((r) => r.domainName!));
    if (domains.length === 0) {
      throw new ValidationError(`addRouter(): \`domainNames\` is empty for ${where}; give 1-${DATABRICKS_LIMITS.domainNamesPerRule} ` +
        `names, or give each target its \`domainName\``, this.scope);
    }
    if (domains.length > DATABRICKS_LIMITS.domainNamesPerRule) throw this.tooManyNames(where, domains.length);
    for (const d of domains) {
      if (domains.filter((x) => x.toLowerCase() === d.toLowerCase()).length > 1) {
        throw new ValidationError(
          `addRouter(): \`domainNames\` lists ${show(d)} twice (domain names are case-insensitive); list each name once`, this.scope);
      }
      const owner = this.domainOwners.get(d.toLowerCase());
      if (owner) throw this.twoRules(d, where, owner);
    }
    // With explicit `domainNames`, a target whose own name is not among them is reached through a
    // name that is no database's host.
    const hosts = new Set(shard.routes.map((r) => r.host));
    const spare = domains.find((d) => !hosts.has(d)) ?? domains[0];
    return { shard, domains, spare, connections: shard.routes.map((route) => connectionOf(route, domains, spare)) };
  }
}

/**
 * The key of a router's resources in its NCC (rules `<key>Shard<n>`, accepters, locals): its
 * construct id, or for a router of another stack `<stack id>-<router id>`, since every team's
 * stack may call its router "Router".
 */
export function routerKey(router: PrivateLinkRouter, ncc: IConstruct): string {
  const stack = TerraformStack.of(router);
  return stack === TerraformStack.of(ncc) ? router.node.id : `${stack.node.id}-${router.node.id}`;
}

/** What a notebook connects to for one target: its own domain name when the rule has it. */
function connectionOf(route: RouterRoute, domains: string[], spare: string): NotebookConnection {
  const own = route.domainName !== undefined && domains.some((d) => d.toLowerCase() === route.domainName!.toLowerCase());
  const domainName = own ? route.domainName! : spare;
  return {
    name: route.name,
    database: route.host ?? (route.ips ?? []).join(","),
    domainName,
    port: route.listenerPort,
    address: `${domainName}:${route.listenerPort}`,
    shard: route.shard,
    admit: route.admit,
  };
}

/** The names, each once (case-insensitively, first spelling kept), sorted. */
function distinctNames(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const n of names) if (!seen.has(n.toLowerCase())) seen.set(n.toLowerCase(), n);
  return [...seen.values()].sort();
}
