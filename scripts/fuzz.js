#!/usr/bin/env node
// `npm run fuzz`: the property tests with 10,000 cases each, in 10 fresh Jest runs of 1,000
// cases with different seeds. (cdktf keeps every token it ever created in a process-wide map,
// so one process that builds tens of thousands of stacks runs out of memory.)
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const total = Number(process.env.FUZZ_TOTAL ?? 10000);
const chunk = Number(process.env.FUZZ_CHUNK ?? 1000);
const base = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
const jest = path.join(__dirname, "..", "node_modules", ".bin", "jest");
const files = ["test/robustness/properties", "test/robustness/stable-ports"];
const t0 = Date.now();
for (let i = 0; i * chunk < total; i++) {
  const seed = base + i;
  const runs = Math.min(chunk, total - i * chunk);
  console.log(`fuzz: cases ${i * chunk + 1}-${i * chunk + runs} of ${total}, seed ${seed} (re-run one chunk: FUZZ_RUNS=${runs} ` +
    `FUZZ_SEED=${seed} npx jest ${files.join(" ")})`);
  const r = spawnSync(jest, ["--ci", "--coverage=false", ...files], {
    stdio: "inherit",
    env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) },
  });
  if (r.status !== 0) {
    console.error(`fuzz: failed in the chunk with seed ${seed}`);
    process.exit(r.status ?? 1);
  }
}
console.log(
  `fuzz: ${total} cases per property passed in ${((Date.now() - t0) / 1000).toFixed(0)} s (` +
  `seeds ${base}-${base + Math.ceil(total / chunk) - 1})`);
