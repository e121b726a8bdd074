// The deployed zip holds lib/ip-sync alone: handler.js may load only Node built-ins, the ELBv2 SDK
// (which the Lambda runtime provides) and its siblings (config, events, private-ranges), which
// load only Node built-ins; it is not part of the library's jsii API.
import { spawnSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const SRC = path.join(ROOT, "src", "ip-sync", "handler.ts");
const LIB = path.join(ROOT, "lib", "ip-sync", "handler.js");
const SIBLINGS = ["./config", "./events", "./private-ranges"];
const allowed = (name: string) => builtinModules.includes(name.replace(/^node:/, "")) || name === "@aws-sdk/client-elastic-load-balancing-v2" || SIBLINGS.includes(name);

const imported = (code: string) => [...code.matchAll(/\bfrom\s+"([^"]+)"|\brequire\("([^"]+)"\)|\bimport\(\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? m[3]);

test("the source imports only Node built-ins and the ELBv2 SDK", () => {
  const names = imported(fs.readFileSync(SRC, "utf8"));
  expect(names).toContain("@aws-sdk/client-elastic-load-balancing-v2");
  expect(names.filter((n) => !allowed(n))).toEqual([]);
});

test.each(SIBLINGS)("its sibling %s imports only Node built-ins", (sibling) => {
  const names = imported(fs.readFileSync(path.join(ROOT, "src", "ip-sync", `${sibling}.ts`), "utf8"));
  expect(names.filter((n) => !builtinModules.includes(n.replace(/^node:/, "")))).toEqual([]);
});

test("the folder holds only the handler and its siblings (the zip is the folder)", () => {
  expect(fs.readdirSync(path.join(ROOT, "src", "ip-sync")).sort()).toEqual(["config.ts", "events.ts", "handler.ts", "private-ranges.ts"]);
});

(fs.existsSync(LIB) ? test : test.skip)("the compiled lib/ip-sync/handler.js requires only Node built-ins and the ELBv2 SDK, and exports handler", () => {
  const names = imported(fs.readFileSync(LIB, "utf8"));
  expect(names.filter((n) => !allowed(n))).toEqual([]);
  // Loading it needs no environment (config is read on the first invocation).
  const env = { PATH: process.env.PATH ?? "" };
  const r = spawnSync(process.execPath, ["-e", `process.stdout.write(require(${JSON.stringify(LIB)}).handler.constructor.name)`], { encoding: "utf8", env, timeout: 20_000 });
  expect(r.stdout).toBe("AsyncFunction");
});

test("it is not exported from the library's index", () => {
  expect(fs.readFileSync(path.join(ROOT, "src", "index.ts"), "utf8")).not.toMatch(/ip-sync/);
});
