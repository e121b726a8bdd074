// The security group rule quota, counted per shard at synthesis from what is known then (pure:
// no constructs). Terraform counts again at plan time from the DNS answers (see emit.ts).
import { protocolsOf } from "./target-spec";

/** AWS's default quota of inbound (and of outbound) rules per security group. */
export const MAX_RULES_PER_SECURITY_GROUP = 60;

/** What a target adds to its shard's rules. */
export interface RuleDemand {
  /** The number of literal IPs, or undefined for a `host` target (counted as one address). */
  readonly ipCount?: number;
  readonly protocol: string;
  readonly egressPorts: string[];
}

/** A shard's rules known at synthesis: inbound, outbound (a lower bound) and the egress ports seen. */
interface ShardRules {
  readonly ingress: number;
  readonly egress: number;
  readonly egressPorts: ReadonlySet<string>;
}

/** The outcome of adding a target: the shard's new counts, or the quota it would pass. */
export type RuleCheck = { readonly ok: true; readonly counts: ShardRules } |
  { readonly ok: false; readonly direction: "ingress" | "egress"; readonly count: number };

/**
 * Counts every shard's security group rules as targets are added: one inbound rule per
 * `ingressCidrs` block, listener port and IP protocol; outbound, one /32 rule per IP and egress
 * port, or (with `egressCidrs`) one per block and distinct egress port of the shard.
 */
export class RuleBudget {
  private readonly shards = new Map<number, ShardRules>();

  constructor(private readonly ingressCidrCount: number, private readonly egressCidrCount: number | undefined,
    public readonly quota = MAX_RULES_PER_SECURITY_GROUP) {}

  /** The shard's counts with this target added; does not record them (see `take`). */
  public check(shard: number, demand: RuleDemand): RuleCheck {
    const c = this.shards.get(shard) ?? { ingress: 0, egress: 0, egressPorts: new Set<string>() };
    const ingress = c.ingress + this.ingressCidrCount * protocolsOf(demand.protocol).length;
    const newPorts = demand.egressPorts.filter((e) => !c.egressPorts.has(e));
    const egress = this.egressCidrCount !== undefined
      ? c.egress + this.egressCidrCount * newPorts.length
      : c.egress + (demand.ipCount ?? 1) * demand.egressPorts.length;
    if (ingress > this.quota) return { ok: false, direction: "ingress", count: ingress };
    if (egress > this.quota) return { ok: false, direction: "egress", count: egress };
    return { ok: true, counts: { ingress, egress, egressPorts: new Set([...c.egressPorts, ...newPorts]) } };
  }

  /** Records a checked target's counts. */
  public take(shard: number, counts: ShardRules): void {
    this.shards.set(shard, counts);
  }
}
