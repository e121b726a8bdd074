#!/usr/bin/env node
// `npm run example [-- --hcl]`: synthesizes examples/databricks-serverless (the app that
// cdktf.json runs) with the real cdktf CLI, then prints what notebooks connect to.
"use strict";
const fs = require("fs");
const path = require("path");
const { synthWithCli } = require("./synth-cli");

const hcl = process.argv.includes("--hcl");
const root = path.resolve(__dirname, "..");
const stack = "databricks-serverless";
const cli = path.join(root, "node_modules", ".bin", "cdktf");

synthWithCli(cli, ["synth", ...(hcl ? ["--hcl"] : [])], root);

const dir = path.join(root, "cdktf.out", "stacks", stack);
const file = path.join(dir, hcl ? "cdk.tf" : "cdk.tf.json");
if (!fs.existsSync(file)) {
  console.error(`cdktf synth succeeded but wrote no ${path.relative(root, file)}`);
  process.exit(1);
}

async function connections() {
  if (!hcl) {
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    return Object.entries(json.output).find(([k]) => k.includes("connections"))[1].value;
  }
  const { parse } = require("@cdktf/hcl2json");
  const parsed = await parse("cdk.tf", fs.readFileSync(file, "utf8"));
  const output = Object.entries(parsed.output).find(([k]) => k.includes("connections"))[1][0].value;
  return output;
}

connections().then((rows) => {
  const table = [
    ["target", "database", "notebooks connect to", "shard", "database admits (from the router's subnets)"],
    ...rows.map((r) => [r.name, r.database, r.address, String(r.shard), r.admit.join(", ")]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  console.log(`Synthesized ${path.relative(root, file)} (${fs.statSync(file).size} bytes)\n`);
  console.log(line(table[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  table.slice(1).forEach((row) => console.log(line(row)));
  console.log("\nAfter apply, `terraform output` shows each database's line for its owner (the subnets' CIDRs and security group).");
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
