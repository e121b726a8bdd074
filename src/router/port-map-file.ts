// The port map file (`portMapFile`): read, rendered with sorted keys, and written during
// synthesis when it changes, or only compared in read-only mode (CI and unit tests).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { dirname } from "path";
import { Placement, PlacementError } from "./port-planner";

/** The content of a port map file. */
export interface PortMap {
  readonly version: number;
  readonly targets: { [name: string]: Placement };
  readonly retired: { [name: string]: Placement };
}

const EMPTY: PortMap = { version: 1, targets: {}, retired: {} };

/** Reads a port map file; a missing file is an empty map. Throws PlacementError when it cannot be used. */
export function readPortMap(file: string): PortMap {
  if (!existsSync(file)) return EMPTY;
  let parsed: any;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new PlacementError(
      `\`portMapFile\` ${file} is not valid JSON (${(e as Error).message}); fix it from version control or delete it to start over`);
  }
  const ok = (m: unknown) => typeof m === "object" && m !== null && Object.values(m).every(
    (p: any) => Number.isInteger(p?.listenerPort) && p.listenerPort >= 1 && p.listenerPort <= 65535 && Number.isInteger(p?.shard) &&
      p.shard >= 0);
  if (parsed?.version !== 1 || !ok(parsed.targets) || !ok(parsed.retired ?? {})) {
    throw new PlacementError(`\`portMapFile\` ${file} is not a version 1 port map ({"version":1,"targets":{name:{listenerPort,shard}},` +
      `"retired":{...}}); fix it from version control or delete it to start over`);
  }
  return { version: 1, targets: parsed.targets, retired: parsed.retired ?? {} };
}

/** Renders a port map with sorted keys, so the file only changes when a placement does. */
export function renderPortMap(map: PortMap): string {
  const sorted = (m: { [name: string]: Placement }) => Object.fromEntries(
    Object.keys(m).sort().map((k) => [k, { listenerPort: m[k].listenerPort, shard: m[k].shard }]));
  return JSON.stringify({ version: 1, targets: sorted(map.targets), retired: sorted(map.retired) }, null, 2) + "\n";
}

/**
 * The context key (or, when unset, environment variable) that makes synthesis read the port map
 * file and never write it: `"read-only"`. For CI and unit tests, where a changed map means the
 * committed file is stale, or the test runs from another directory than the app.
 */
export const PORT_MAP_MODE_CONTEXT = "cdktf-privatelink-router:portMapFile";
export const PORT_MAP_MODE_ENV = "PRIVATELINK_ROUTER_PORT_MAP";

/** A port map that read-only mode would have written: the caller makes it a ValidationError. */
export class StalePortMapError extends PlacementError {}

/**
 * Writes the file when its content changes; returns true when it wrote. With `readOnly`, throws
 * StalePortMapError instead of writing, saying which targets the file lacks or holds wrongly.
 */
export function writePortMap(file: string, map: PortMap, readOnly = false): boolean {
  const text = renderPortMap(map);
  const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  if (current === text) return false;
  if (readOnly) {
    const before = current === undefined ? undefined : readPortMapText(current);
    const changed = Object.keys(map.targets).filter((n) => {
      const was = before?.targets[n];
      return was === undefined || was.listenerPort !== map.targets[n].listenerPort || was.shard !== map.targets[n].shard;
    });
    const retired = Object.keys(map.retired).filter((n) => before?.retired[n] === undefined);
    const what = current === undefined ? "does not exist" : `would change (${[
      changed.length > 0 ? `targets placed anew: ${changed.join(", ")}` : "",
      retired.length > 0 ? `targets retired: ${retired.join(", ")}` : "",
    ].filter((x) => x).join("; ") || "layout only"})`;
    throw new StalePortMapError(`\`portMapFile\` ${file} ${what}, and synthesis is read-only (${PORT_MAP_MODE_CONTEXT} = "read-only", ` +
      `or ${PORT_MAP_MODE_ENV}); run \`cdktf synth\` in the app's directory without read-only mode and commit the file, or check that ` +
      `the path resolves to the committed file (relative paths are resolved against the current directory)`);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return true;
}

/** A port map from text already known to be a port map's (for read-only comparisons). */
function readPortMapText(text: string): PortMap | undefined {
  try {
    const parsed = JSON.parse(text);
    return { version: 1, targets: parsed.targets ?? {}, retired: parsed.retired ?? {} };
  } catch {
    return undefined;
  }
}

/**
 * Writes the port map of `placed` targets: removed targets (recorded before, absent now) are
 * kept as retired, so their ports are never handed to another target.
 */
export function savePortMap(file: string, recorded: PortMap, placed: { name: string; listenerPort: number; shard: number }[], readOnly =
  false): void {
  const targets: { [name: string]: Placement } = {};
  for (const r of placed) targets[r.name] = { listenerPort: r.listenerPort, shard: r.shard };
  const retired = { ...recorded.retired };
  for (const [name, p] of Object.entries(recorded.targets)) if (!(name in targets)) retired[name] = p;
  for (const name of Object.keys(targets)) delete retired[name];
  writePortMap(file, { version: 1, targets, retired }, readOnly);
}
