import { spawnSync } from "child_process";
import * as path from "path";

// The lint rule that keeps provider imports on deep paths (the root index costs seconds).
const eslint = path.join(__dirname, "..", "node_modules", ".bin", "eslint");
const lint = (code: string) => spawnSync(eslint, ["--stdin", "--stdin-filename", "src/example.ts"], { input: code, encoding: "utf8", cwd: path.join(__dirname, "..") });

test.each(["@cdktf/provider-aws", "@cdktf/provider-dns", "@cdktf/provider-databricks"])("importing %s by its root index is a lint error", (pkg) => {
  const r = lint(`import { provider } from "${pkg}";\nexport const p = provider;\n`);
  expect(r.status).toBe(1);
  expect(r.stdout).toContain(`Import ${pkg} by deep path`);
});

test("a deep import passes", () => {
  const r = lint(`import { Lb } from "@cdktf/provider-aws/lib/lb";\nexport const l = Lb;\n`);
  expect(r.stdout).toBe("");
  expect(r.status).toBe(0);
});
