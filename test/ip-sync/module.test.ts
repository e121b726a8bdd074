// The deployed zip holds lib/ip-sync alone: handler.js may load only Node built-ins, the ELBv2 SDK
// (which the Lambda runtime provides) and its sibling private-ranges.js, which loads nothing; it
// is not part of the library's jsii API.
import { spawnSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const SRC = path.join(ROOT, "src", "ip-sync", "handler.ts");
const LIB = path.join(ROOT, "lib", "ip-sync", "handler.js");
const allowed = (name: string) => builtinModules.includes(name.replace(/^node:/, "")) || name === "@aws-sdk/client-elastic-load-balancing-v2" || name === "./private-ranges";

const imported = (code: string) => [...code.matchAll(/\bfrom\s+"([^"]+)"|\brequire\("([^"]+)"\)|\bimport\(\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2] ?? m[3]);

test("the source imports only Node built-ins and the ELBv2 SDK", () => {
  const names = imported(fs.readFileSync(SRC, "utf8"));
  expect(names).toContain("@aws-sdk/client-elastic-load-balancing-v2");
  expect(names.filter((n) => !allowed(n))).toEqual([]);
});

test("its sibling private-ranges imports nothing", () => {
  expect(imported(fs.readFileSync(path.join(ROOT, "src", "ip-sync", "private-ranges.ts"), "utf8"))).toEqual([]);
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
