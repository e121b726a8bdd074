// The two builds differ only in module names: every compiled .js and .d.ts of the cdktn build
// (dist/cdktn/lib) equals the cdktf build's (lib/) with scripts/build-cdktn.js RENAMES applied.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RENAMES, renameModules, NAME } = require("../../scripts/build-cdktn");

const ROOT = path.join(__dirname, "..", "..");
const BUILDS = { cdktf: ROOT, cdktn: path.join(ROOT, "dist", "cdktn") };
const MAP = "//# sourceMappingURL=data:application/json;base64,";

/** The compiled files that src/ makes, relative to lib/. */
const compiled = (fs.readdirSync(path.join(ROOT, "src"), { recursive: true }) as string[])
  .filter((f) => f.endsWith(".ts"))
  .flatMap((f) => [f.replace(/\.ts$/, ".js"), f.replace(/\.ts$/, ".d.ts")])
  .sort();

/** A built file: its code, and its inline source map (decoded) if any. */
function read(build: keyof typeof BUILDS, file: string): { code: string; map?: any } {
  const [code, map] = fs.readFileSync(path.join(BUILDS[build], "lib", file), "utf8").split(MAP);
  return map === undefined ? { code } : { code, map: JSON.parse(Buffer.from(map, "base64").toString("utf8")) };
}

/**
 * A cdktf build file as the cdktn build must be: its module names renamed; the variable TypeScript
 * names after an imported module (`cdktf_1` for "cdktf") renamed with it; the package name in jsii's
 * runtime type info (`fqn: "cdktf-privatelink-router.X"`); its source map's sources renamed.
 */
function renamed({ code, map }: { code: string; map?: any }): { code: string; map?: any } {
  let out = renameModules(code);
  for (const [from, to] of Object.entries<string>(RENAMES)) {
    const [a, b] = [path.basename(from), path.basename(to)];
    if (a !== b) out = out.replace(new RegExp(`\\b${a}_(\\d+)\\b`, "g"), `${b}_$1`);
  }
  out = out.split(`fqn: "cdktf-privatelink-router.`).join(`fqn: "${NAME}.`);
  if (map === undefined) return { code: out };
  return { code: out, map: { ...map, sourcesContent: map.sourcesContent?.map((s: string) => renameModules(s)) } };
}

describe("the cdktn build", () => {
  beforeAll(() => {
    for (const dir of Object.values(BUILDS)) {
      if (!fs.existsSync(path.join(dir, "lib", "index.js"))) throw new Error(`${path.relative(ROOT, dir) || "."}/lib is missing: run npm run build`);
    }
  });

  test("has every compiled file the cdktf build has", () => {
    const missing = (build: keyof typeof BUILDS) => compiled.filter((f) => !fs.existsSync(path.join(BUILDS[build], "lib", f)));
    expect({ cdktf: missing("cdktf"), cdktn: missing("cdktn") }).toEqual({ cdktf: [], cdktn: [] });
  });

  test.each(compiled)("%s is the cdktf one with module names renamed", (file) => {
    const cdktn = read("cdktn", file);
    const expected = renamed(read("cdktf", file));
    expect(cdktn.code).toBe(expected.code);
    expect(cdktn.map).toEqual(expected.map);
    expect(cdktn.code).not.toMatch(/(require\(|from |import\()"(cdktf|@cdktf\/)/);
  });

  test.each(Object.keys(BUILDS))("%s: every command of package.json `bin` is in the build, runs, and is packed", (build) => {
    const dir = BUILDS[build as keyof typeof BUILDS];
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(Object.keys(pkg.bin)).toEqual(["privatelink-router"]);
    for (const file of Object.values<string>(pkg.bin)) {
      expect(pkg.files).toContain(file);
      const help = spawnSync(process.execPath, [path.join(dir, file), "--help"], { encoding: "utf8" });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain("privatelink-router routes");
    }
  });

  test("its jsii assembly has the same types and depends on the cdktn modules only", () => {
    const assembly = (build: keyof typeof BUILDS) => JSON.parse(fs.readFileSync(path.join(BUILDS[build], ".jsii"), "utf8"));
    const [cdktf, cdktn] = [assembly("cdktf"), assembly("cdktn")];
    const types = (a: any) => Object.keys(a.types).map((fqn) => fqn.slice(a.name.length)).sort();
    expect(cdktn.name).toBe(NAME);
    expect(types(cdktn)).toEqual(types(cdktf));
    expect(Object.keys(cdktn.dependencies).sort()).toEqual(["@cdktn/provider-aws", "@cdktn/provider-databricks", "cdktn", "constructs"]);
  });
});
