// Where a router's targets go, decided before anything is made: each target checked and completed
// (target-spec.ts), given a listener port and shard (port-planner.ts) within the security group
// rule budget (rule-budget.ts), then recorded. Makes no construct; errors are ValidationErrors.
import { Annotations } from "cdktf";
import { IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import { isToken, show } from "../core/validate";
import type { PortMap } from "./port-map-file";
import { Placement, PlacementError, PortPlanner } from "./port-planner";
import { RuleBudget } from "./rule-budget";
import { RouterSettings } from "./router-settings";
import { specifyTarget, TargetSpec } from "./target-spec";
import { RouterRoute, RouterTarget } from "./target-types";

/** Where notebooks reach a placed target. */
export function routeOf(spec: TargetSpec, placement: Placement): RouterRoute {
  return {
    name: spec.name,
    host: spec.host,
    ips: spec.ips,
    targetPort: spec.port,
    listenerPort: placement.listenerPort,
    shard: placement.shard,
    domainName: spec.domainName,
    admit: spec.egressPorts.map((e) => e.replace(":", "/")),
  };
}

/** The name that groups targets into one shard: a literal domain name (a token one groups nothing). */
function groupOf(spec: TargetSpec): string | undefined {
  return spec.domainName === undefined || isToken(spec.domainName) ? undefined : spec.domainName;
}

/** Runs a port-planner step; its PlacementError becomes a ValidationError with `scope`'s path. */
export function asValidationError<T>(scope: IConstruct, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PlacementError) throw new ValidationError(e.message, scope);
    throw e;
  }
}

/** A router's targets, checked and placed one at a time; `scope` is the router. */
export class TargetPlacement {
  private readonly planner: PortPlanner;
  private readonly budget: RuleBudget;
  private readonly names = new Set<string>();

  /**
   * @param recorded the port map file's records
   * @param pins the listener ports the declared targets pin
   */
  constructor(private readonly scope: IConstruct, private readonly settings: RouterSettings, recorded: PortMap, pins: number[]) {
    this.planner = new PortPlanner(settings.portAssignment, settings.basePort, settings.maxTargets, recorded, pins);
    this.budget = new RuleBudget(settings.ingressCidrs.length, settings.egressCidrs?.length);
  }

  /** Checks the declared targets, then the port map's records against them all; records nothing. */
  public specifyDeclared(targets: RouterTarget[]): TargetSpec[] {
    const declared = new Set<string>();
    const specs = targets.map((t) => {
      const spec = this.specify(t, (name) => declared.has(name));
      declared.add(spec.name);
      return spec;
    });
    asValidationError(this.scope, () =>
      this.planner.checkRecorded(specs.map((spec) => ({ ...spec, targetPort: spec.port, domainName: groupOf(spec) }))));
    return specs;
  }

  /** Checks a target and completes it with defaults; makes and records nothing. */
  public specify(target: RouterTarget, declaredBefore: (name: string) => boolean): TargetSpec {
    const spec = specifyTarget(this.scope, target, {
      defaultHealthCheck: this.settings.defaultHealthCheck,
      egressCidrs: this.settings.egressCidrs,
      nameTaken: (name) => this.names.has(name) || declaredBefore(name),
    });
    if (spec.protocol === "UDP" && target.healthCheck === undefined && this.settings.defaultHealthCheck.port === undefined) {
      Annotations.of(this.scope).addWarning(`target ${show(spec.name)} is UDP only, and its health check is the default TCP check on ` +
        `its traffic port ${spec.port}, which a UDP-only database never answers: the target would always be unhealthy. Give it ` +
        `a \`healthCheck\` on a TCP (or HTTP) port it serves.`);
    }
    return spec;
  }

  /**
   * Gives a checked target a port and shard within the rule budget, after `checkRoute` (which
   * throws to refuse it) has seen its route; records them, makes nothing.
   */
  public place(spec: TargetSpec, checkRoute: (route: RouterRoute) => void): [TargetSpec, Placement] {
    const placement = asValidationError(this.scope, () => this.planner.plan(spec.name, spec.port, spec.listenerPort, groupOf(spec)));
    checkRoute(routeOf(spec, placement));
    const rules = this.budget.check(placement.shard, { ipCount: spec.ips?.length, protocol: spec.protocol, egressPorts: spec.egressPorts });
    if (!rules.ok && rules.direction === "ingress") {
      throw new ValidationError(`target ${show(spec.name)} brings shard ${placement.shard}'s inbound rules to ${rules.count} ` +
        `(\`ingressCidrs\` x listener ports), over the ${this.budget.quota}-rule security group quota; list fewer \`ingressCidrs\` (` +
        `PrivateLink traffic needs none) or lower \`maxTargetsPerLoadBalancer\``, this.scope);
    }
    if (!rules.ok) {
      throw new ValidationError(`target ${show(spec.name)} brings shard ${placement.shard}'s outbound rules to at ` +
        `least ${rules.count}, over the ${this.budget.quota}-rule security group quota; set \`egressCidrs\` to the targets' networks (` +
        `one rule per CIDR and port) or lower \`maxTargetsPerLoadBalancer\``, this.scope);
    }
    // Every check passed: record the target.
    this.planner.take(spec.name, placement, groupOf(spec));
    this.budget.take(placement.shard, rules.counts);
    this.names.add(spec.name);
    return [spec, placement];
  }
}
