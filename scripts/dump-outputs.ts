// Writes the synthesized JSON of every Terraform-harness scenario (examples included) to one
// folder, so a refactor can prove its output byte-identical: `npx ts-node --transpile-only
// scripts/dump-outputs.ts <dir>` before and after, then `diff -r`.
import * as fs from "fs";
import * as path from "path";
import { scenarios } from "../test/terraform/harness/scenarios";

const out = process.argv[2];
if (!out) throw new Error("usage: dump-outputs.ts <dir>");
fs.mkdirSync(out, { recursive: true });
for (const s of scenarios()) {
  fs.writeFileSync(path.join(out, `${s.name}.tf.json`), JSON.stringify(s.config(), null, 2) + "\n");
}
console.log(`wrote ${scenarios().length} scenarios to ${out}`);
