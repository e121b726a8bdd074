// Runs an example app on both frameworks, each in a fresh process as a user's app would run: the
// program as written, and its twin with the module names swapped by scripts/build-cdktn.js RENAMES.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RENAMES, renameModules, cdktfModules, NAME } = require("../../scripts/build-cdktn");

export const ROOT = path.join(__dirname, "..", "..");
export type Framework = "cdktf" | "cdktn";
/** Each framework's build of the library, as an app installs it. */
const PACKAGES: { [f in Framework]: { name: string; dir: string } } = {
  cdktf: { name: "cdktf-privatelink-router", dir: ROOT },
  cdktn: { name: NAME, dir: path.join(ROOT, "dist", "cdktn") },
};

/** Module renames that turn an example written for `from` into an app of `to` (which imports the library by package name). */
function renames(from: Framework, to: Framework): { [from: string]: string } {
  const swap: { [from: string]: string } = from === to ? {} : from === "cdktf" ? RENAMES : Object.fromEntries(Object.entries<string>(RENAMES).map(([a, b]) => [b, a]));
  return { ...swap, "../../src": PACKAGES[to].name, [PACKAGES[from].name]: PACKAGES[to].name };
}

/** The apps made so far, removed by removeApps(). */
const apps: string[] = [];

/** Removes the apps synthApp made (call it in afterAll). */
export function removeApps(): void {
  for (const app of apps.splice(0)) fs.rmSync(app, { recursive: true, force: true });
}

/**
 * examples/<example> (written for `written`) as an app of `framework`, synthesized with
 * `node -r ts-node/register/transpile-only examples/<example>/main.ts`: returns the stack folder in
 * cdktf.out. The app lives under dist/twins, so that modules resolve up to the repository's
 * node_modules; it holds the library as installed: its package.json, and its lib/ linked.
 */
export function synthApp(example: string, written: Framework, framework: Framework): string {
  const twins = path.join(ROOT, "dist", "twins");
  fs.mkdirSync(twins, { recursive: true });
  const app = fs.mkdtempSync(path.join(twins, `${example}-${framework}-`));
  apps.push(app);
  const installed = path.join(app, "node_modules", PACKAGES[framework].name);
  fs.mkdirSync(installed, { recursive: true });
  fs.copyFileSync(path.join(PACKAGES[framework].dir, "package.json"), path.join(installed, "package.json"));
  fs.symlinkSync(path.join(PACKAGES[framework].dir, "lib"), path.join(installed, "lib"), "dir");

  // The example's files at the same place (port map paths are relative to the working directory).
  const from = path.join(ROOT, "examples", example);
  for (const file of fs.readdirSync(from, { recursive: true }) as string[]) {
    const source = path.join(from, file);
    if (/(^|\/)(node_modules|cdktf\.out)(\/|$)/.test(file) || !fs.statSync(source).isFile()) continue;
    const target = path.join(app, "examples", example, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (!file.endsWith(".ts")) {
      fs.copyFileSync(source, target);
      continue;
    }
    const code = renameModules(fs.readFileSync(source, "utf8"), renames(written, framework));
    const foreign = framework === "cdktn" ? cdktfModules(code) : [];
    if (foreign.length > 0) throw new Error(`examples/${example}/${file} imports ${foreign.map((m: any) => m.specifier).join(", ")}: no CDK Terrain twin`);
    fs.writeFileSync(target, code);
  }

  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CDKTF_|SYNTH_HCL_OUTPUT)/.test(k)));
  const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join("examples", example, "main.ts")], { cwd: app, env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`examples/${example} as a ${framework} app failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
  const stacks = path.join(app, "cdktf.out", "stacks");
  const [stack, ...more] = fs.readdirSync(stacks);
  if (!stack || more.length > 0) throw new Error(`examples/${example}: expected one stack, found ${fs.readdirSync(stacks).join(", ")}`);
  return path.join(stacks, stack);
}

/** The synthesized cdk.tf.json of a stack folder. */
export function config(stackDir: string): any {
  return JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
}
