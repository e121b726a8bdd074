// Listener ports and shards: the planner that places targets one at a time, and the rules it
// follows. Pure: no constructs, no Terraform, no files (port-map-file.ts reads and writes those).
import type { PortMap } from "./port-map-file";
import { PortAssignment } from "./types";

/** Where a target's listener lives. */
export interface Placement {
  readonly listenerPort: number;
  readonly shard: number;
}

/** A placement problem: the caller turns it into a ValidationError with its construct path. */
export class PlacementError extends Error {}

function listeners(n: number): string {
  return n === 1 ? "1 listener" : `${n} listeners`;
}

/** How a target got its listener port, for messages about a port two targets want. */
type PortOrigin = "pinned" | "recorded" | "sequence" | "target port";

/** A target as the up-front checks of recorded placements see it. */
export interface PlannedName {
  readonly name: string;
  readonly listenerPort?: number;
  readonly targetPort: number;
  /** The name notebooks connect to (normalized); targets sharing one share a shard. */
  readonly domainName?: string;
}

/**
 * Assigns listener ports and shards, one target at a time, in declaration order.
 *
 * SEQUENTIAL: shard k owns ports basePort + k*M .. basePort + (k+1)*M - 1; an unpinned target
 * takes the lowest free port whose shard has room (free: not placed, recorded, retired or
 * pinned). A pinned port inside the range of an existing shard or of the next one lands there
 * when it has room; any other pin goes to the first shard with room, so a pin never opens an
 * empty or sparse shard.
 * TARGET_PORT: the listener port is the database's port (or the pinned one); the target goes to
 * the first shard with room that does not use that port yet.
 * Targets sharing a domain name share a shard (a name resolves to one endpoint): a later one goes
 * to the first one's shard, at the lowest free port of that shard's range (SEQUENTIAL).
 * A target recorded in the port map keeps its port and shard. Every step is O(1) amortized
 * (a cursor that only moves forward), so placing N targets costs O(N) overall.
 */
export class PortPlanner {
  /** Listener ports used per shard, and the target on each. */
  private readonly shardPorts = new Map<number, Map<number, string>>();
  /** Every placed listener port and the target using it (SEQUENTIAL keeps ports unique router-wide). */
  private readonly used = new Map<number, string>();
  /** How each placed target got its port. */
  private readonly origins = new Map<string, PortOrigin>();
  /** Ports that unpinned SEQUENTIAL targets must not take: recorded, retired and announced pinned ports. */
  private readonly reserved = new Set<number>();
  /**
   * "shard:port" slots of every target in the port map, present or removed: TARGET_PORT places a
   * new target elsewhere, so that it neither takes a removed target's slot nor one that a
   * recorded target declared later in the list is about to reclaim.
   */
  private readonly reservedSlots: Set<string>;
  /** Per shard: recorded targets not placed yet; new targets leave room for them. */
  private readonly pending = new Map<number, number>();
  private readonly claimed = new Set<string>();
  /** Domain name -> the shard and first target placed with it. */
  private readonly domainShards = new Map<string, { shard: number; target: string }>();
  /** The first shard that may still have room. */
  private firstOpenShard = 0;
  private cursor: number;

  constructor(
    private readonly mode: PortAssignment,
    private readonly basePort: number,
    private readonly capacity: number,
    private readonly recorded: PortMap,
    announcedPins: number[],
  ) {
    this.cursor = basePort;
    for (const p of [...Object.values(recorded.targets), ...Object.values(recorded.retired)]) this.reserved.add(p.listenerPort);
    for (const p of announcedPins) this.reserved.add(p);
    for (const p of Object.values(recorded.targets)) this.pending.set(p.shard, (this.pending.get(p.shard) ?? 0) + 1);
    this.reservedSlots =
      new Set([...Object.values(recorded.targets), ...Object.values(recorded.retired)].map((r) => `${r.shard}:${r.listenerPort}`));
  }

  /**
   * Checks, before any target is placed, what the port map records for `targets` (the router's
   * declared targets): a shard holding more recorded targets than `maxTargetsPerLoadBalancer`
   * allows, or targets sharing a domain name recorded in two shards. One error lists every
   * target that must move, so a change of `maxTargetsPerLoadBalancer` takes one run, not one per target.
   */
  public checkRecorded(targets: PlannedName[]): void {
    const kept = targets.filter((t) => this.keepsRecord(t));
    const byShard = new Map<number, PlannedName[]>();
    for (const t of kept) {
      const shard = this.recorded.targets[t.name].shard;
      byShard.set(shard, [...(byShard.get(shard) ?? []), t]);
    }
    const over = [...byShard].filter(([, ts]) => ts.length > this.capacity).sort(([a], [b]) => a - b);
    if (over.length > 0) {
      const movers = over.flatMap(([, ts]) => ts.slice(this.capacity));
      const most = Math.max(...over.map(([, ts]) => ts.length));
      const at = (t: PlannedName) => `"${t.name}" (${this.recorded.targets[t.name].listenerPort})`;
      throw new PlacementError(`\`portMapFile\` records more targets in a shard than \`maxTargetsPerLoadBalancer\` ${this.capacity} ` +
        `allows (${over.map(([k, ts]) => `shard ${k}: ${ts.length}`).join(", ")}); ${movers.length} target(s) must ` +
        `move: ${movers.map(at).join(", ")}. Delete their entries from "targets" in the port map file to give them new ports in new ` +
        `shards, or also pin each one's \`listenerPort\` to the recorded port shown to keep it; or raise \`maxTargetsPerLoadBalancer\` ` +
        `back to ${most}. Their listeners move to new load balancers: see the README, "Re-sharding"`);
    }
    const firstByDomain = new Map<string, PlannedName>();
    for (const t of kept) {
      if (t.domainName === undefined) continue;
      const first = firstByDomain.get(t.domainName);
      if (!first) firstByDomain.set(t.domainName, t);
      else if (this.recorded.targets[first.name].shard !== this.recorded.targets[t.name].shard) {
        throw new PlacementError(`targets "${first.name}" and "${t.name}" share the domain name "${t.domainName}" but \`portMapFile\` ` +
          `records them in shards ${this.recorded.targets[first.name].shard} and ${this.recorded.targets[t.name].shard}; a name ` +
          `resolves to one endpoint, so they must share a shard: delete "${t.name}" from the port map file to move it to ` +
          `shard ${this.recorded.targets[first.name].shard}, or give one of them another \`domainName\``);
      }
    }
  }

  /**
   * Where a target goes; throws PlacementError when it cannot be placed. Nothing is taken until
   * `take()`, so a target that fails a later check leaves no trace (a recorded target only
   * releases the room held for it).
   */
  public plan(name: string, targetPort: number, pinned?: number, domainName?: string): Placement {
    const rec = this.recorded.targets[name] ?? this.recorded.retired[name];
    const own = this.recorded.targets[name];
    if (own && !this.claimed.has(name)) {
      this.claimed.add(name);
      this.pending.set(own.shard, this.pending.get(own.shard)! - 1);
    }
    const partner = domainName === undefined ? undefined : this.domainShards.get(domainName);
    const wanted = pinned ?? (this.mode === PortAssignment.TARGET_PORT ? targetPort : undefined);
    if (rec && (wanted === undefined || wanted === rec.listenerPort)) {
      if (partner && partner.shard !== rec.shard) {
        throw new PlacementError(`targets "${partner.target}" and "${name}" share the domain name "${domainName}" but \`portMapFile\` ` +
          `records "${name}" in shard ${rec.shard} and "${partner.target}" is in shard ${partner.shard}; a name resolves to one ` +
          `endpoint, so they must share a shard: delete "${name}" from the port map file to move it, or give one of them ` +
          `another \`domainName\``);
      }
      return this.placeRecorded(name, rec);
    }
    if (wanted !== undefined) return this.placeFixed(name, wanted, pinned !== undefined, partner &&
      { ...partner, domainName: domainName! });
    return partner ? this.placeWithPartner(name, { ...partner, domainName: domainName! }) : this.placeNext(name);
  }

  /** Records a planned placement. */
  public take(name: string, p: Placement, domainName?: string): void {
    if (!this.shardPorts.has(p.shard)) this.shardPorts.set(p.shard, new Map());
    this.shardPorts.get(p.shard)!.set(p.listenerPort, name);
    if (!this.used.has(p.listenerPort)) this.used.set(p.listenerPort, name);
    if (domainName !== undefined && !this.domainShards.has(domainName)) this.domainShards.set(domainName, { shard: p.shard, target: name });
    this.origins.set(name, this.originOf(name, p));
  }

  private originOf(name: string, p: Placement): PortOrigin {
    const rec = this.recorded.targets[name] ?? this.recorded.retired[name];
    if (rec && rec.listenerPort === p.listenerPort && rec.shard === p.shard) return "recorded";
    return this.reserved.has(p.listenerPort) ? "pinned" : this.mode === PortAssignment.TARGET_PORT ? "target port" : "sequence";
  }

  /** Whether a declared target will keep what the port map records for it. */
  private keepsRecord(t: PlannedName): boolean {
    const rec = this.recorded.targets[t.name];
    const wanted = t.listenerPort ?? (this.mode === PortAssignment.TARGET_PORT ? t.targetPort : undefined);
    return rec !== undefined && (wanted === undefined || wanted === rec.listenerPort);
  }

  private placeRecorded(name: string, rec: Placement): Placement {
    const holder = this.holderOf(rec.shard, rec.listenerPort);
    if (holder !== undefined) {
      throw new PlacementError(`target "${name}" is recorded in \`portMapFile\` on listener port ${rec.listenerPort} (` +
        `shard ${rec.shard}), but target "${holder}" (${this.describe(holder)}) already uses that port; pin "${holder}" to ` +
        `another \`listenerPort\`, or delete "${name}" from the port map file to give it a new port`);
    }
    if (!this.hasRoom(rec.shard, false)) {
      throw new PlacementError(
        `target "${name}" is recorded in \`portMapFile\` in shard ${rec.shard}, which already holds ${listeners(this.capacity)} ` +
        `(\`maxTargetsPerLoadBalancer\`); raise \`maxTargetsPerLoadBalancer\` back, or delete "${name}" from the port map file to move it`);
    }
    return rec;
  }

  private placeFixed(name: string, port: number, isPin: boolean, partner?: { shard: number; target: string; domainName: string }):
    Placement {
    const what = isPin ? `\`listenerPort\` ${port} of target "${name}"` :
      `listener port ${port} of target "${name}" (its database's port, TARGET_PORT)`;
    if (this.mode === PortAssignment.SEQUENTIAL) {
      const holder = this.used.get(port);
      if (holder !== undefined) throw new PlacementError(
        `${what} is already the listener port of target "${holder}" (${this.describe(holder)}); ${this.conflictFix(name, holder)}`);
      if (partner) {
        if (!this.hasRoom(partner.shard)) throw this.partnerFull(name, partner);
        return { listenerPort: port, shard: partner.shard };
      }
      // Inside the range of an existing shard or of the next one: that shard, if it has room.
      const owner = port >= this.basePort ? Math.floor((port - this.basePort) / this.capacity) : -1;
      const fits = owner >= 0 && owner <= this.shardCount() && this.hasRoom(owner);
      return { listenerPort: port, shard: fits ? owner : this.firstShard(() => true) };
    }
    if (partner) {
      const holder = this.holderOf(partner.shard, port);
      if (holder !== undefined) {
        throw new PlacementError(`targets "${partner.target}" and "${name}" share the domain name "${partner.domainName}", so they ` +
          `share shard ${partner.shard}, where ${what} is already used by target "${holder}"; pin another \`listenerPort\` ` +
          `for "${name}", or give it another \`domainName\``);
      }
      if (!this.hasRoom(partner.shard)) throw this.partnerFull(name, partner);
      return { listenerPort: port, shard: partner.shard };
    }
    return { listenerPort: port, shard:
      this.firstShard((k) => this.holderOf(k, port) === undefined && !this.reservedSlots.has(`${k}:${port}`)) };
  }

  /** An unpinned SEQUENTIAL target that shares a domain name: the lowest free port of its partner's shard's range. */
  private placeWithPartner(name: string, partner: { shard: number; target: string; domainName: string }): Placement {
    if (!this.hasRoom(partner.shard)) throw this.partnerFull(name, partner);
    const first = this.basePort + partner.shard * this.capacity;
    for (let port = first; port < first + this.capacity && port <= 65535; port++) {
      if (!this.used.has(port) && !this.reserved.has(port)) return { listenerPort: port, shard: partner.shard };
    }
    throw new PlacementError(`targets "${partner.target}" and "${name}" share the domain name "${partner.domainName}", so "${name}" ` +
      `goes to shard ${partner.shard}, whose listener ports (${first}-${first + this.capacity - 1}) are all used, recorded or retired; ` +
      `pin a free \`listenerPort\` for "${name}" (it joins shard ${partner.shard} whatever the port)`);
  }

  private partnerFull(name: string, partner: { shard: number; target: string; domainName: string }): PlacementError {
    return new PlacementError(`targets "${partner.target}" and "${name}" share the domain name "${partner.domainName}", so they must ` +
      `share a shard (a name resolves to one endpoint), but shard ${partner.shard} already holds ${listeners(this.capacity)} ` +
      `(\`maxTargetsPerLoadBalancer\`); declare "${partner.target}" and "${name}" together before the targets that fill ` +
      `shard ${partner.shard}, so that both fit in one shard, raise \`maxTargetsPerLoadBalancer\`, or give one of them ` +
      `another \`domainName\``);
  }

  private placeNext(name: string): Placement {
    for (;;) {
      const port = this.cursor;
      if (port > 65535) {
        throw new PlacementError(`no free listener port is left for target "${name}": \`basePort\` ${this.basePort} plus the targets ` +
          `placed so far passes 65535; lower \`basePort\``);
      }
      const shard = Math.floor((port - this.basePort) / this.capacity);
      if (this.used.has(port) || this.reserved.has(port) || !this.hasRoom(shard)) {
        this.cursor++;
        continue;
      }
      return { listenerPort: port, shard };
    }
  }

  /** How a placed target got its port, in words. */
  private describe(target: string): string {
    switch (this.origins.get(target)) {
      case "pinned": return "pinned";
      case "recorded": return "recorded in `portMapFile`";
      case "target port": return "its database's port";
      default: return "given in sequence";
    }
  }

  /** What to do when a pin meets a port another target holds. */
  private conflictFix(name: string, holder: string): string {
    switch (this.origins.get(holder)) {
      case "pinned": return "pin another port or remove one of the two pins";
      case "recorded": return `pin another port for "${name}": the port map file keeps "${holder}" on it`;
      default: return `pin another port for "${name}", or pass "${name}" in \`targets\` rather than addTarget(), so that its pin is ` +
        `reserved before ports are given in sequence`;
    }
  }

  /** The number of shards that exist or are recorded: a pin in the range of shard `shardCount()` opens the next one. */
  private shardCount(): number {
    let count = 0;
    for (const [k, ports] of this.shardPorts) if (ports.size > 0) count = Math.max(count, k + 1);
    for (const [k, n] of this.pending) if (n > 0) count = Math.max(count, k + 1);
    return count;
  }

  /** Whether a shard can take one more target; a new one (`forNew`) also leaves room for pending recorded ones. */
  private hasRoom(shard: number, forNew = true): boolean {
    return (this.shardPorts.get(shard)?.size ?? 0) + (forNew ? this.pending.get(shard) ?? 0 : 0) < this.capacity;
  }

  /** The target using `port` in `shard` (SEQUENTIAL: anywhere in the router). */
  private holderOf(shard: number, port: number): string | undefined {
    return this.mode === PortAssignment.SEQUENTIAL ? this.used.get(port) : this.shardPorts.get(shard)?.get(port);
  }

  /** The lowest shard index with room that `accepts`. */
  private firstShard(accepts: (shard: number) => boolean): number {
    while (!this.hasRoom(this.firstOpenShard)) this.firstOpenShard++;
    for (let k = this.firstOpenShard; ; k++) {
      if (this.hasRoom(k) && accepts(k)) return k;
    }
  }
}
