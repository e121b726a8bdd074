// Listener ports and shards: the port map file (read, rendered, written) and the planner that
// places targets one at a time. Pure: no constructs, no Terraform.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { dirname } from "path";
import { PortAssignment } from "./types";

/** Where a target's listener lives. */
export interface Placement {
  readonly listenerPort: number;
  readonly shard: number;
}

/** The content of a port map file. */
export interface PortMap {
  readonly version: number;
  readonly targets: { [name: string]: Placement };
  readonly retired: { [name: string]: Placement };
}


/** A placement problem: the caller turns it into a ValidationError with its construct path. */
export class PlacementError extends Error {}

const EMPTY: PortMap = { version: 1, targets: {}, retired: {} };

/** Reads a port map file; a missing file is an empty map. Throws PlacementError when it cannot be used. */
export function readPortMap(file: string): PortMap {
  if (!existsSync(file)) return EMPTY;
  let parsed: any;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new PlacementError(`\`portMapFile\` ${file} is not valid JSON (${(e as Error).message}); fix it from version control or delete it to start over`);
  }
  const ok = (m: unknown) => typeof m === "object" && m !== null && Object.values(m).every(
    (p: any) => Number.isInteger(p?.listenerPort) && p.listenerPort >= 1 && p.listenerPort <= 65535 && Number.isInteger(p?.shard) && p.shard >= 0);
  if (parsed?.version !== 1 || !ok(parsed.targets) || !ok(parsed.retired ?? {})) {
    throw new PlacementError(`\`portMapFile\` ${file} is not a version 1 port map ({"version":1,"targets":{name:{listenerPort,shard}},"retired":{...}}); fix it from version control or delete it to start over`);
  }
  return { version: 1, targets: parsed.targets, retired: parsed.retired ?? {} };
}

/** Renders a port map with sorted keys, so the file only changes when a placement does. */
export function renderPortMap(map: PortMap): string {
  const sorted = (m: { [name: string]: Placement }) => Object.fromEntries(
    Object.keys(m).sort().map((k) => [k, { listenerPort: m[k].listenerPort, shard: m[k].shard }]));
  return JSON.stringify({ version: 1, targets: sorted(map.targets), retired: sorted(map.retired) }, null, 2) + "\n";
}

/** Writes the file when its content changes; returns true when it wrote. */
export function writePortMap(file: string, map: PortMap): boolean {
  const text = renderPortMap(map);
  if (existsSync(file) && readFileSync(file, "utf8") === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return true;
}

/**
 * Writes the port map of `placed` targets: removed targets (recorded before, absent now) are
 * kept as retired, so their ports are never handed to another target.
 */
export function savePortMap(file: string, recorded: PortMap, placed: { name: string; listenerPort: number; shard: number }[]): void {
  const targets: { [name: string]: Placement } = {};
  for (const r of placed) targets[r.name] = { listenerPort: r.listenerPort, shard: r.shard };
  const retired = { ...recorded.retired };
  for (const [name, p] of Object.entries(recorded.targets)) if (!(name in targets)) retired[name] = p;
  for (const name of Object.keys(targets)) delete retired[name];
  writePortMap(file, { version: 1, targets, retired });
}

/**
 * Assigns listener ports and shards, one target at a time, in declaration order.
 *
 * SEQUENTIAL: shard k owns ports basePort + k*M .. basePort + (k+1)*M - 1; an unpinned target
 * takes the lowest free port whose shard has room. A pinned port lands in the shard that owns
 * it, or (outside every range, or when that shard is full) in the first shard with room.
 * TARGET_PORT: the listener port is the database's port (or the pinned one); the target goes to
 * the first shard with room that does not use that port yet.
 * A target recorded in the port map keeps its port and shard. Every step is O(1) amortized
 * (a cursor that only moves forward), so placing N targets costs O(N) overall.
 */
export class PortPlanner {
  /** Listener ports used per shard, and the target on each. */
  private readonly shardPorts = new Map<number, Map<number, string>>();
  /** Every placed listener port and the target using it (SEQUENTIAL keeps ports unique router-wide). */
  private readonly used = new Map<number, string>();
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
    this.reservedSlots = new Set([...Object.values(recorded.targets), ...Object.values(recorded.retired)].map((r) => `${r.shard}:${r.listenerPort}`));
  }

  /**
   * Where a target goes; throws PlacementError when it cannot be placed. Nothing is taken until
   * `take()`, so a target that fails a later check leaves no trace (a recorded target only
   * releases the room held for it).
   */
  public plan(name: string, targetPort: number, pinned?: number): Placement {
    const rec = this.recorded.targets[name] ?? this.recorded.retired[name];
    const own = this.recorded.targets[name];
    if (own && !this.claimed.has(name)) {
      this.claimed.add(name);
      this.pending.set(own.shard, this.pending.get(own.shard)! - 1);
    }
    const wanted = pinned ?? (this.mode === PortAssignment.TARGET_PORT ? targetPort : undefined);
    if (rec && (wanted === undefined || wanted === rec.listenerPort)) return this.placeRecorded(name, rec);
    if (wanted !== undefined) return this.placeFixed(name, wanted);
    return this.placeNext(name);
  }

  /** Records a planned placement. */
  public take(name: string, p: Placement): void {
    if (!this.shardPorts.has(p.shard)) this.shardPorts.set(p.shard, new Map());
    this.shardPorts.get(p.shard)!.set(p.listenerPort, name);
    if (!this.used.has(p.listenerPort)) this.used.set(p.listenerPort, name);
  }

  private placeRecorded(name: string, rec: Placement): Placement {
    const holder = this.holderOf(rec.shard, rec.listenerPort);
    if (holder !== undefined) {
      throw new PlacementError(`target "${name}" is recorded in \`portMapFile\` on listener port ${rec.listenerPort} (shard ${rec.shard}), but target "${holder}" already uses that port; pin "${holder}" to another \`listenerPort\`, or delete "${name}" from the port map file to give it a new port`);
    }
    if (!this.hasRoom(rec.shard, false)) {
      throw new PlacementError(`target "${name}" is recorded in \`portMapFile\` in shard ${rec.shard}, which already holds ${this.capacity} listeners (\`maxTargetsPerLoadBalancer\`); raise \`maxTargetsPerLoadBalancer\` back, or delete "${name}" from the port map file to move it`);
    }
    return rec;
  }

  private placeFixed(name: string, port: number): Placement {
    if (this.mode === PortAssignment.SEQUENTIAL) {
      const holder = this.used.get(port);
      if (holder !== undefined) {
        throw new PlacementError(`\`listenerPort\` ${port} of target "${name}" is already the listener port of target "${holder}"; pin another port or remove one of the two pins`);
      }
      const owner = port >= this.basePort ? Math.floor((port - this.basePort) / this.capacity) : -1;
      return { listenerPort: port, shard: owner >= 0 && this.hasRoom(owner) ? owner : this.firstShard(() => true) };
    }
    return { listenerPort: port, shard: this.firstShard((k) => this.holderOf(k, port) === undefined && !this.reservedSlots.has(`${k}:${port}`)) };
  }

  private placeNext(name: string): Placement {
    for (;;) {
      const port = this.cursor;
      if (port > 65535) {
        throw new PlacementError(`no free listener port is left for target "${name}": \`basePort\` ${this.basePort} plus the targets placed so far passes 65535; lower \`basePort\``);
      }
      const shard = Math.floor((port - this.basePort) / this.capacity);
      if (this.used.has(port) || this.reserved.has(port) || !this.hasRoom(shard)) {
        this.cursor++;
        continue;
      }
      return { listenerPort: port, shard };
    }
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
