import { spawnSync } from "child_process";
import * as path from "path";

// scripts/ is plain JavaScript, run by `npm run build`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lazify } = require("../scripts/lazy-index");

const ROOT = path.join(__dirname, "..");

/** Which of the library's modules are loaded after `statements` run in a fresh Node process. */
function loadedAfter(statements: string, lib = "lib"): string[] {
  const script = `${statements}; console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(path.join(ROOT, lib))})).map((f) => f.slice(${path.join(ROOT, lib).length + 1}))))`;
  const run = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe("the built index loads a module on first use of its exports", () => {
  test.each(["lib", "dist/cdktn/lib"])("%s: requiring the package loads only its index", (lib) => {
    expect(loadedAfter(`require("./${lib}")`, lib)).toEqual(["index.js"]);
  });

  test("a router-only app never loads the NCC's modules (nor IP sync or alarms)", () => {
    const loaded = loadedAfter("require('./lib').PrivateLinkRouter");
    expect(loaded).toContain("router/private-link-router.js");
    expect(loaded.filter((f) => f.startsWith("databricks/") || ["router/ip-sync.js", "router/alarms.js", "ip-sync/handler.js"].includes(f))).toEqual([]);
  });

  test("DatabricksNcc loads its modules when it is first read", () => {
    expect(loadedAfter("require('./lib').DatabricksNcc")).toContain("databricks/databricks-ncc.js");
  });

  test("every export is still there, and is the class itself; the shard class is not exported", () => {
    const names = ["ValidationError", "PortAssignment", "PrivateLinkRouter", "DatabricksNcc"];
    const run = spawnSync(process.execPath, ["-e",
      `const lib = require("./lib"); console.log(JSON.stringify(${JSON.stringify(names)}.map((n) => [n, typeof lib[n], lib[n] === require("./lib/" + ${JSON.stringify({ ValidationError: "core/errors", PortAssignment: "router/types", PrivateLinkRouter: "router/private-link-router", DatabricksNcc: "databricks/databricks-ncc" })}[n])[n]])))`],
    { cwd: ROOT, encoding: "utf8" });
    expect(JSON.parse(run.stdout)).toEqual(names.map((n) => [n, n === "PortAssignment" ? "object" : "function", true]));
    const shard = spawnSync(process.execPath, ["-e", `console.log("RouterShard" in require("./lib"))`], { cwd: ROOT, encoding: "utf8" });
    expect(shard.stdout.trim()).toBe("false");
  });
});

describe("lazify", () => {
  test("moves each require into its getter and keeps the line count", () => {
    const compiled = [
      "\"use strict\";",
      "var a_1 = require(\"./a\");",
      "Object.defineProperty(exports, \"A\", { enumerable: true, get: function () { return a_1.A; } });",
    ].join("\n");
    expect(lazify(compiled).split("\n")).toEqual([
      "\"use strict\";",
      "",
      "Object.defineProperty(exports, \"A\", { enumerable: true, get: function () { return require(\"./a\").A; } });",
    ]);
  });

  test.each([
    ["no re-export at all", "\"use strict\";\nexports.x = 1;"],
    ["a module used outside a getter", "var a_1 = require(\"./a\");\nexports.y = a_1.A;"],
    ["a require left at the top", "var a_1 = require(\"./a\");\nObject.defineProperty(exports, \"A\", { get: function () { return a_1.A; } });\nconst b = require(\"./b\");"],
  ])("refuses an index it does not recognise: %s", (_, code) => {
    expect(() => lazify(code)).toThrow(/lazy-index: index.js is not in the shape TypeScript writes/);
  });
});
