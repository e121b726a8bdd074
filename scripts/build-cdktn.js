#!/usr/bin/env node
// The CDK Terrain build (`npm run build`, after jsii): src/ copied to dist/cdktn/src with module
// names renamed by RENAMES (nothing else changes), then jsii there: package cdktn-privatelink-router.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { lazify } = require("./lazy-index");
// TypeScript parses the module names (loaded only when used: jest.config.js reads RENAMES).
const ts = () => require("typescript");

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, "dist", "cdktn");
const NAME = "cdktn-privatelink-router";

/** cdktf module -> its CDK Terrain twin; a module's subpaths (`.../lib/lb`) follow it. */
const RENAMES = {
  "cdktf": "cdktn",
  "@cdktf/provider-aws": "@cdktn/provider-aws",
  "@cdktf/provider-databricks": "@cdktn/provider-databricks",
};
/** Any other module of the cdktf world has no twin we know of: the build stops on it. */
const CDKTF_WORLD = /^(cdktf($|[/-])|@cdktf\/)/;

/** `specifier` renamed by `table` (exact name or a subpath of it), or as it is. */
function rename(specifier, table = RENAMES) {
  for (const [from, to] of Object.entries(table)) {
    if (specifier === from || specifier.startsWith(`${from}/`)) return to + specifier.slice(from.length);
  }
  return specifier;
}

/** TypeScript or JavaScript source with every module specifier (import, export, require, import()) renamed. */
function renameModules(code, table = RENAMES) {
  let out = "";
  let at = 0;
  for (const imp of ts().preProcessFile(code, true, true).importedFiles) {
    // `pos` is the opening quote of the string literal.
    const start = imp.pos + 1;
    if (!/["'`]/.test(code[imp.pos]) || code.slice(start, start + imp.fileName.length) !== imp.fileName) {
      throw new Error(`cannot find the module name "${imp.fileName}" at offset ${imp.pos}`);
    }
    out += code.slice(at, start) + rename(imp.fileName, table);
    at = start + imp.fileName.length;
  }
  return out + code.slice(at);
}

/** The cdktf-world modules a source still names (after renaming, the ones RENAMES lacks), with their line. */
function cdktfModules(code) {
  const info = ts().preProcessFile(code, true, true);
  return [...info.importedFiles, ...info.referencedFiles, ...info.typeReferenceDirectives]
    .filter((m) => CDKTF_WORLD.test(m.fileName))
    .map((m) => ({ specifier: m.fileName, line: code.slice(0, m.pos).split("\n").length }));
}

/** The package.json of the cdktn build: the root's, with its name, description and peers. */
function packageJson(root, versions) {
  const rest = { ...root };
  for (const key of ["scripts", "devDependencies", "peerDependencies"]) delete rest[key];
  return {
    ...rest,
    name: NAME,
    description: root.description.replace("CDK for Terraform constructs", "CDK Terrain (cdktn) constructs"),
    keywords: ["cdktn", "cdk-terrain", ...root.keywords.filter((k) => k !== "cdktf")],
    files: root.files.filter((f) => f !== "API.md"),
    devDependencies:
      Object.fromEntries(
        ["cdktn", "@cdktn/provider-aws", "@cdktn/provider-databricks", "constructs"].map((n) => [n, root.devDependencies[n]])),
    peerDependencies: {
      "@cdktn/provider-aws": `^${versions["@cdktn/provider-aws"]}`,
      "@cdktn/provider-databricks": `^${versions["@cdktn/provider-databricks"]}`,
      "cdktn": `^${versions.cdktn}`,
      // cdktn 0.24 and its providers accept only these.
      "constructs": ">=10.6.0 <10.8.0",
    },
  };
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir) {
  return fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

function build() {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const versions =
    Object.fromEntries(["cdktn", "@cdktn/provider-aws", "@cdktn/provider-databricks"].map((name) => [name, root.devDependencies[name]]));
  for (const [name, version] of Object.entries(versions)) {
    if (!/^\d+\.\d+\.\d+$/.test(version ?? "")) throw new Error(
      `package.json: devDependency ${name} must be an exact version (got ${version})`);
  }
  for (const dir of ["src", "lib", ".jsii", "tsconfig.tsbuildinfo"]) fs.rmSync(path.join(OUT, dir), { recursive: true, force: true });

  // src/, renamed (TypeScript) or copied as it is (anything else).
  const src = path.join(ROOT, "src");
  const untwinned = [];
  for (const file of filesUnder(src)) {
    const from = path.join(src, file);
    const to = path.join(OUT, "src", file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (!file.endsWith(".ts")) {
      fs.copyFileSync(from, to);
      continue;
    }
    const code = renameModules(fs.readFileSync(from, "utf8"));
    untwinned.push(...cdktfModules(code).map((m) => `  src/${file}:${m.line}: "${m.specifier}"`));
    fs.writeFileSync(to, code);
  }
  if (untwinned.length > 0) {
    throw new Error(
      `src imports cdktf modules that have no CDK Terrain twin in scripts/build-cdktn.js RENAMES:\n${untwinned.join("\n")}\n` +
      "Remove the import (cdktf's generic TerraformProvider/TerraformResource/TerraformDataSource write any provider's blocks) or add " +
      "its twin to RENAMES.");
  }
  fs.copyFileSync(path.join(ROOT, root.jsii.tsconfig), path.join(OUT, root.jsii.tsconfig));
  fs.copyFileSync(path.join(ROOT, "README.md"), path.join(OUT, "README.md"));
  // The command-line tool's entry points (package.json `bin`): they load ../lib, so they are the same file in both builds.
  for (const file of Object.values(root.bin ?? {})) {
    fs.mkdirSync(path.dirname(path.join(OUT, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(OUT, file));
  }
  fs.writeFileSync(path.join(OUT, "package.json"), JSON.stringify(packageJson(root, versions), null, 2) + "\n");

  // jsii there: modules resolve from dist/cdktn up to the repository's node_modules.
  const jsii =
    spawnSync(path.join(ROOT, "node_modules", ".bin", "jsii"), ["--silence-warnings=reserved-word"], { cwd: OUT, stdio: "inherit" });
  if (jsii.status !== 0) throw new Error(`jsii failed in ${path.relative(ROOT, OUT)} (exit ${jsii.status})`);
  const index = path.join(OUT, "lib", "index.js");
  fs.writeFileSync(index, lazify(fs.readFileSync(index, "utf8")));

  // What a cdktn app installs: the build linked into the example app, as `npm install` would.
  const link = path.join(ROOT, "examples", "cdktn-serverless", "node_modules", NAME);
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(path.relative(path.dirname(link), OUT), link, "dir");
  console.log(`${NAME}: ${path.relative(ROOT, OUT)} (lib/, .jsii), linked into ${path.relative(ROOT, path.dirname(link))}`);
}

module.exports = { RENAMES, rename, renameModules, cdktfModules, OUT, NAME };

if (require.main === module) {
  try {
    build();
  } catch (e) {
    console.error(`\nbuild-cdktn: ${e.message}\n`);
    process.exit(1);
  }
}
