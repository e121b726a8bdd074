#!/usr/bin/env node
// `npm run example:cdktn`: synthesizes examples/cdktn-serverless with the real cdktn CLI (after
// `npm run build`, which makes and links the cdktn build), then lists what it wrote.
"use strict";
const fs = require("fs");
const path = require("path");
const { synthWithCli } = require("./synth-cli");

const root = path.resolve(__dirname, "..");
const app = path.join(root, "examples", "cdktn-serverless");
const stack = "cdktn-serverless";
// The real cdktn CLI, through the wrapper that lets it start on Node 20.
const cli = path.join(root, "scripts", "cdktn-cli.js");

if (!fs.existsSync(path.join(app, "node_modules", "cdktn-privatelink-router", "lib", "index.js"))) {
  console.error("the cdktn build is missing: run npm run build");
  process.exit(1);
}
fs.rmSync(path.join(app, "cdktf.out"), { recursive: true, force: true });
synthWithCli(process.execPath, [cli, "synth"], app);

const file = path.join(app, "cdktf.out", "stacks", stack, "cdk.tf.json");
if (!fs.existsSync(file)) {
  console.error(`cdktn synth succeeded but wrote no ${path.relative(root, file)}`);
  process.exit(1);
}
const json = JSON.parse(fs.readFileSync(file, "utf8"));
const count = (kind) => Object.values(json[kind] ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
console.log(`cdktn ${json["//"].metadata.version} synthesized ${path.relative(root, file)} (${fs.statSync(file).size} bytes): ` +
  `${count("resource")} resources, ${count("data")} data sources, ` +
  `assets: ${fs.readdirSync(path.join(path.dirname(file), "assets")).join(", ")}`);
