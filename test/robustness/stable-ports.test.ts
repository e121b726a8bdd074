import * as fs from "fs";
import * as path from "path";
import * as fc from "fast-check";
import { PortAssignment, PrivateLinkRouter, RouterTarget } from "../../src";
import { newStack, routerProps, tmpDir } from "../helpers";
import { fcOptions } from "./arbitraries";

// Random edit sequences on a router with a port map file: no remaining target's listener port
// or shard ever changes, and no port (SEQUENTIAL) or shard-and-port slot (TARGET_PORT) is ever
// handed to a different target within the sequence.

type Edit = { kind: "add"; port: number } | { kind: "remove"; pick: number } | { kind: "reorder"; seed: number } | { kind: "rename"; pick: number };

// A few shared ports (TARGET_PORT then needs more shards) among many distinct ones. Shards are
// the expensive part of a build (cdktf records a stack trace per token), so sizes stay small.
const PORT = fc.oneof(fc.constantFrom(5432, 3306), fc.integer({ min: 1024, max: 9999 }));

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), port: PORT }),
  fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("reorder" as const), seed: fc.nat() }),
  fc.record({ kind: fc.constant("rename" as const), pick: fc.nat() }),
);

const scenarioArb = fc.record({
  initial: fc.array(PORT, { minLength: 1, maxLength: 15 }),
  edits: fc.array(editArb, { minLength: 1, maxLength: 6 }),
  mode: fc.constantFrom(PortAssignment.SEQUENTIAL, PortAssignment.TARGET_PORT),
  max: fc.integer({ min: 1, max: 8 }),
});

function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

test("edits never move a remaining target, and never hand a port to another target", () => {
  fc.assert(fc.property(scenarioArb, ({ initial, edits, mode, max }) => {
    const file = path.join(tmpDir(), "ports.json");
    let counter = 0;
    const make = (port: number): RouterTarget => {
      const n = counter++;
      return { name: `t${n}`, host: `t${n}.corp.internal`, port };
    };
    let targets = initial.map(make);
    const placed = new Map<string, string>(); // target name -> "shard:port"
    const holder = new Map<string, string>(); // slot (port, or shard:port) -> target name

    const apply = () => {
      const stack = newStack().stack;
      const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets, portMapFile: file, portAssignment: mode, maxTargetsPerLoadBalancer: max }));
      // What synthesis does (an aspect calls it); the full synthesis is covered in test/router/ports.test.ts.
      router._savePortMap();
      for (const r of router.routes) {
        const where = `${r.shard}:${r.listenerPort}`;
        if (placed.has(r.name)) expect(where).toBe(placed.get(r.name));
        placed.set(r.name, where);
        const slot = mode === PortAssignment.SEQUENTIAL ? String(r.listenerPort) : where;
        expect(holder.get(slot) ?? r.name).toBe(r.name);
        holder.set(slot, r.name);
      }
    };

    apply();
    for (const e of edits) {
      if (e.kind === "add") targets = [...targets, make(e.port)];
      if (e.kind === "remove" && targets.length > 1) targets = targets.filter((_, i) => i !== e.pick % targets.length);
      if (e.kind === "reorder") targets = shuffle(targets, e.seed);
      if (e.kind === "rename") {
        const i = e.pick % targets.length;
        targets = [...targets.slice(0, i), make(targets[i].port), ...targets.slice(i + 1)];
      }
      apply();
    }
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }), fcOptions);
});
