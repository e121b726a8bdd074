#!/usr/bin/env node
// Makes a compiled `index.js` load each module on first use of one of its exports, the way
// aws-cdk-lib's index does: an app that uses only the router never loads the NCC's modules
// (and IP sync and alarms are loaded on use by router/operations.ts). Run by `npm run build`
// after jsii, on lib/ and on dist/cdktn/lib/:  node scripts/lazy-index.js <lib dir>
"use strict";
const fs = require("fs");
const path = require("path");

/**
 * TypeScript writes `export { X } from "./m"` as a `var m_1 = require("./m");` line and a getter
 * that returns `m_1.X`. The require moves into the getter (Node caches modules, so later reads
 * cost a lookup); the line is left empty, so the source map still fits.
 */
function lazify(code) {
  const modules = new Map();
  const out = code.replace(/^var (\w+) = require\(("[^"]+")\);$/gm, (_, name, specifier) => {
    modules.set(name, specifier);
    return "";
  });
  let lazy = out;
  for (const [name, specifier] of modules) lazy = lazy.split(`return ${name}.`).join(`return require(${specifier}).`);
  const left = [...modules.keys()].filter((name) => new RegExp(`\\b${name}\\b`).test(lazy));
  if (modules.size === 0 || left.length > 0 ||
    /^[^/]*\brequire\(/m.test(lazy.replace(/get: function \(\) \{ return require\([^)]*\)/g, ""))) {
    throw new Error(`lazy-index: index.js is not in the shape TypeScript writes for \`export { X } from "./m"\` (` +
      `unconverted: ${left.join(", ") || "a require outside the getters"})`);
  }
  return lazy;
}

module.exports = { lazify };

if (require.main === module) {
  const file = path.join(process.argv[2] ?? "lib", "index.js");
  fs.writeFileSync(file, lazify(fs.readFileSync(file, "utf8")));
}
