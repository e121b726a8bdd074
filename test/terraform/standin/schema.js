// Generates Terraform provider schemas (provider config, resources, data sources) from the
// installed cdktf bindings (@cdktf/provider-<name>), for the stand-in providers. No cdktf at run time.
"use strict";

/*
 * Source of truth: each binding file `lib/<folder>/index.js` embeds its TypeScript source in its
 * source map. That source has, for every attribute of every class, a line
 *   // <tf_name> - computed: <bool>, optional: <bool>, required: <bool>
 * followed by the attribute's field/getter, and `synthesizeHclAttributes()` (top-level classes) or
 * `<struct>ToHclTerraform()` (nested structs) listing each argument's
 * `{ isBlock, type: "simple"|"list"|"set"|"map"|"struct", storageClassType }`.
 *
 * Mapping:
 * - argument (optional/required) that is not a block: attribute, type from storageClassType;
 * - computed-only attribute: type from its getter (getStringAttribute -> string, getListAttribute ->
 *   list(string), Fn.tolist(...) -> set, ...) or its `new XxxList/XxxOutputReference/cdktf.StringMap`;
 * - block argument (isBlock) that is not computed: nested block; nesting from `type`
 *   (list -> LIST, with max_items 1 when the field is an OutputReference; set -> SET; struct -> SINGLE;
 *   map -> MAP); min_items 1 when required (max_items 1 too for SINGLE);
 * - block argument that is also computed (plugin-framework nested attribute): attribute with nested_type;
 * - computed-only nested structure: attribute whose type is list/set/map of object, or object.
 * Flags: required wins over computed (Terraform rejects both); every resource has schema version 0.
 * Large bindings keep their structs in lib/<folder>/index-structs/*.js: read with the main file.
 * Provider configuration structs have no OutputReference class: their arguments come from
 * `<struct>ToHclTerraform()`, required when the interface property has no `?`. The provider's
 * `alias` (a cdktf meta-argument) is left out. check-schema.js checks the result.
 */

const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

/** @typedef {string|Array<any>} CtyType cty type in its JSON form: "string", ["list","string"], ["object",{...}] */
/**
 * @typedef {object} Attr
 * @property {CtyType} [type] the attribute's type (absent when `nested` is set)
 * @property {{nesting: string, block: Block}} [nested] nested attribute type (nested_type)
 * @property {boolean} [required]
 * @property {boolean} [optional]
 * @property {boolean} [computed]
 */
/**
 * @typedef {object} NestedBlock
 * @property {"LIST"|"SET"|"SINGLE"|"MAP"} nesting
 * @property {Block} block
 * @property {number} min_items
 * @property {number} max_items
 */
/** @typedef {{attributes: Object<string, Attr>, blocks: Object<string, NestedBlock>}} Block */
/**
 * @typedef {object} ProviderSchema
 * @property {string} package binding package name
 * @property {string} version binding package version
 * @property {Block} provider provider configuration block
 * @property {Object<string, Block>} resources by resource type
 * @property {Object<string, Block>} dataSources by data source type
 */

const MARKER = /^[ \t]*\/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)[ \t]*$/gm;
const HCL_ATTR = /^\s*"?(\w+)"?: \{\s*value: ([\s\S]*?),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",?\s*\}/gm;
const PRIMITIVE = { string: "string", number: "number", boolean: "bool", any: "dynamic" };

/**
 * The TypeScript source embedded in a compiled binding file's inline source map.
 * @param {string} file path of lib/<folder>/index.js
 * @returns {string}
 */
function bindingSource(file) {
  const js = fs.readFileSync(file, "utf8");
  const m = js.match(/\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/);
  if (!m) throw new Error(`${file}: no inline source map; cannot read the binding's attribute flags`);
  const map = JSON.parse(Buffer.from(m[1], "base64").toString("utf8"));
  if (!map.sourcesContent || !map.sourcesContent[0]) throw new Error(`${file}: source map has no sourcesContent`);
  return map.sourcesContent[0];
}

/**
 * Splits a source file into its top-level `export class|function|interface` declarations.
 * @param {string} ts
 * @returns {Object<string, {kind: string, ext?: string, text: string}>}
 */
function declarations(ts) {
  const out = {};
  const re = /^export (class|function|interface) (\w+)(?: extends ([\w.]+))?/gm;
  let m;
  let prev = null;
  while ((m = re.exec(ts))) {
    if (prev) prev.text = ts.slice(prev.start, m.index);
    prev = { kind: m[1], ext: m[3], start: m.index, text: "" };
    out[m[2]] = prev;
  }
  if (prev) prev.text = ts.slice(prev.start);
  return out;
}

/**
 * The `{ isBlock, type, storageClassType }` entries of a synthesizeHclAttributes/ToHclTerraform body.
 * @param {string} text
 * @returns {Object<string, {isBlock: boolean, type: string, sc: string, prop?: string}>}
 */
function hclAttrs(text) {
  const out = {};
  let m;
  HCL_ATTR.lastIndex = 0;
  while ((m = HCL_ATTR.exec(text))) {
    const prop = m[2].match(/struct!?\.(\w+)\)*$/);
    out[m[1]] = { isBlock: m[3] === "true", type: m[4], sc: m[5], prop: prop ? prop[1] : undefined };
  }
  return out;
}

/**
 * The annotated fields of a class: name, flags and the code up to the next field.
 * @param {string} text class text
 */
function fields(text) {
  const marks = [];
  let m;
  MARKER.lastIndex = 0;
  while ((m = MARKER.exec(text))) {
    marks.push({ name: m[1], computed: m[2] === "true", optional: m[3] === "true", required: m[4] === "true", at: m.index + m[0].length });
  }
  return marks.map((f, i) => ({ ...f, code: text.slice(f.at, i + 1 < marks.length ? marks[i + 1].at : text.length) }));
}

/** Type of a list/set/map argument from its storageClassType ("stringList", "numberMap", ...). */
function collectionType(kind, sc, where) {
  const m = sc.match(/^(string|number|boolean|any)(List|Map)$/);
  if (!m) throw new Error(`${where}: unsupported storageClassType ${sc}`);
  return [kind === "map" ? "map" : kind, PRIMITIVE[m[1]]];
}

/** Type of a computed-only simple attribute from its getter expression. */
function getterType(code, where) {
  const g = code.match(/public get \w+\(\)[^{]*\{\s*return ([^;]+);/);
  const e = g ? g[1] : "";
  const set = /Fn\.tolist\(/.test(e);
  const table = [
    [/getStringAttribute\(/, "string"], [/getNumberAttribute\(/, "number"], [/getBooleanAttribute\(/, "bool"],
    [/getListAttribute\(/, [set ? "set" : "list", "string"]], [/getNumberListAttribute\(/, [set ? "set" : "list", "number"]],
    [/getBooleanListAttribute\(/, [set ? "set" : "list", "bool"]],
    [/getStringMapAttribute\(/, ["map", "string"]], [/getNumberMapAttribute\(/, ["map", "number"]],
    [/getBooleanMapAttribute\(/, ["map", "bool"]], [/getAnyMapAttribute\(/, ["map", "dynamic"]],
    [/interpolationForAttribute\(/, "dynamic"],
  ];
  for (const [re, t] of table) if (re.test(e)) return t;
  throw new Error(`${where}: cannot tell the type of a computed attribute from \`${e || code.slice(0, 120)}\``);
}

/** Implied cty type of a block (the type of its values). */
function impliedType(block) {
  const attrs = {};
  for (const [n, a] of Object.entries(block.attributes)) attrs[n] = attrType(a);
  for (const [n, b] of Object.entries(block.blocks)) attrs[n] = wrap(b.nesting, impliedType(b.block));
  return ["object", attrs];
}

/** cty type of an attribute (plain or nested). */
function attrType(a) {
  return a.type !== undefined ? a.type : wrap(a.nested.nesting, impliedType(a.nested.block));
}

/** Wraps an element type for a nesting mode. */
function wrap(nesting, t) {
  return { SINGLE: t, LIST: ["list", t], SET: ["set", t], MAP: ["map", t] }[nesting];
}

/** A block turned into nested attributes only (inside nested_type there are no blocks). */
function attributesOnly(block) {
  const attributes = { ...block.attributes };
  for (const [n, b] of Object.entries(block.blocks)) {
    attributes[n] =
      { nested: { nesting: b.nesting, block: attributesOnly(b.block) }, optional: b.min_items === 0, required: b.min_items > 0 };
  }
  return { attributes, blocks: {} };
}

/** Terraform rejects required+computed and attributes with no flag. */
function flags(f) {
  if (f.required) return { required: true };
  if (!f.optional && !f.computed) return { optional: true };
  return { ...(f.optional ? { optional: true } : {}), ...(f.computed ? { computed: true } : {}) };
}

/**
 * Builds the schema block of one class (top-level or OutputReference) of a binding file.
 * @param {object} decls declarations of the file
 * @param {string} className
 * @param {Object<string, any>} hcl argument entries of the class
 * @param {string} where for error messages
 * @param {Set<string>} [skip] field names to leave out (cdktf meta-arguments)
 * @returns {Block}
 */
function buildBlock(decls, className, hcl, where, skip = new Set()) {
  const decl = decls[className];
  if (!decl) throw new Error(`${where}: class ${className} not found`);
  const block = { attributes: {}, blocks: {} };
  for (const f of fields(decl.text)) {
    if (skip.has(f.name)) continue;
    const at = `${where}.${f.name}`;
    const arg = hcl[f.name];
    const input = f.optional || f.required;
    if (input && !arg) throw new Error(`${at}: argument missing from the binding's HCL attributes`);
    const created = f.code.match(/private _\w+ = new ([\w.]+)\(this, "(\w+)"(?:, (true|false))?\)/);
    const complex = (created && !created[1].startsWith("cdktf.")) || (arg && arg.isBlock);
    if (!complex) {
      let type;
      if (arg) type = arg.type === "simple" ? PRIMITIVE[arg.sc] : collectionType(arg.type, arg.sc, at);
      else if (created) type = { "cdktf.StringMap": ["map", "string"], "cdktf.NumberMap": ["map", "number"], "cdktf.BooleanMap": ["map", "bool"], "cdktf.AnyMap": ["map", "dynamic"] }[created[1]];
      else type = getterType(f.code, at);
      if (!type) throw new Error(`${at}: unsupported type (${JSON.stringify(arg || created[1])})`);
      block.attributes[f.name] = { type, ...flags(f) };
      continue;
    }
    // Nesting: from the field's class (XxxList(wrapsSet) / XxxMap / XxxOutputReference), checked
    // against the argument's `type` when it is an argument.
    const cls = created ? created[1] : arg.sc;
    const base = cls.replace(/(OutputReference|List|Map)$/, "");
    const ref = `${base}OutputReference`;
    let nesting;
    let maxOne = false;
    if (created && cls.endsWith("List")) nesting = created[3] === "true" ? "SET" : "LIST";
    else if (created && cls.endsWith("Map")) nesting = "MAP";
    else if (created) {
      const single = /super\(terraformResource, terraformAttribute, false\);/.test(decls[ref] ? decls[ref].text : "");
      nesting = single ? "SINGLE" : "LIST";
      maxOne = !single;
    }
    if (arg) {
      const byArg = { list: "LIST", set: "SET", struct: "SINGLE", map: "MAP" }[arg.type];
      if (!byArg || (nesting && byArg !== nesting)) throw new Error(`${at}: nesting ${nesting} does not match argument type ${arg.type}`);
      nesting = byArg;
    }
    const fn = decls[base.charAt(0).toLowerCase() + base.slice(1) + "ToHclTerraform"];
    const childHcl = fn ? hclAttrs(fn.text) : {};
    const child = decls[ref] ? buildBlock(decls, ref, childHcl, at) : structBlock(decls, base, childHcl, at);
    if (!input) {
      block.attributes[f.name] = { type: wrap(nesting, impliedType(child)), computed: true };
    } else if (!f.computed) {
      const single = nesting === "SINGLE";
      const list = nesting === "LIST" || nesting === "SET";
      block.blocks[f.name] =
        { nesting, block: child, min_items: f.required && (list || single) ? 1 : 0, max_items: (list && maxOne) || (single && f.required) ?
          1 : 0 };
    } else {
      block.attributes[f.name] = { nested: { nesting, block: attributesOnly(child) }, ...flags(f) };
    }
  }
  return block;
}

/**
 * The block of a struct that has no OutputReference class (provider configuration blocks): its
 * arguments from `<struct>ToHclTerraform()`, required when the interface property has no `?`.
 * @param {object} decls
 * @param {string} base struct (interface) name
 * @param {Object<string, any>} hcl its argument entries
 * @param {string} where
 * @returns {Block}
 */
function structBlock(decls, base, hcl, where) {
  const iface = decls[base];
  if (!iface) throw new Error(`${where}: interface ${base} not found`);
  const text = Object.entries(hcl).map(([name, a]) => {
    const opt = new RegExp(`readonly ${a.prop}(\\?)?:`).exec(iface.text);
    if (!opt) throw new Error(`${where}.${name}: property ${a.prop} not found in ${base}`);
    return `// ${name} - computed: false, optional: ${!!opt[1]}, required: ${!opt[1]}\n`;
  }).join("");
  return buildBlock({ ...decls, [`${base}$struct`]: { text } }, `${base}$struct`, hcl, where);
}

/**
 * Parses one binding folder (lib/<folder>: index.js, plus index-structs/*.js for large types).
 * @param {string} folder
 * @returns {{kind: "provider"|"resource"|"data", type: string, block: Block}|null}
 */
function parseBinding(folder) {
  const files = [path.join(folder, "index.js")];
  const structs = path.join(folder, "index-structs");
  if (fs.existsSync(structs)) files.push(...fs.readdirSync(structs).filter((f) => f.endsWith(".js")).map((f) => path.join(structs, f)));
  const decls = Object.assign({}, ...files.map((f) => declarations(bindingSource(f))));
  for (const [name, d] of Object.entries(decls)) {
    const kind = { "cdktf.TerraformResource": "resource", "cdktf.TerraformDataSource": "data", "cdktf.TerraformProvider": "provider" }[d.ext];
    if (d.kind !== "class" || !kind) continue;
    const t = d.text.match(/static readonly tfResourceType = "(\w+)"/);
    if (!t) throw new Error(`${folder}: ${name} has no tfResourceType`);
    const synth = d.text.slice(d.text.indexOf("synthesizeHclAttributes()"));
    const skip = kind === "provider" ? new Set(["alias"]) : new Set();
    return { kind, type: t[1], block: buildBlock(decls, name, hclAttrs(synth), t[1], skip) };
  }
  return null;
}

/**
 * Root folder of a binding package.
 * @param {string} pkg e.g. "@cdktf/provider-dns"
 */
function packageDir(pkg) {
  return path.dirname(require.resolve(`${pkg}/package.json`, { paths: [__dirname, process.cwd()] }));
}

/**
 * Generates the whole schema of a provider from its binding package (no cache).
 * @param {string} pkg e.g. "@cdktf/provider-databricks"
 * @returns {ProviderSchema}
 */
function generate(pkg) {
  const dir = packageDir(pkg);
  const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
  const out = { package: pkg, version, provider: null, resources: {}, dataSources: {} };
  const lib = path.join(dir, "lib");
  for (const folder of fs.readdirSync(lib).sort()) {
    if (!fs.existsSync(path.join(lib, folder, "index.js"))) continue;
    const b = parseBinding(path.join(lib, folder));
    if (!b) continue;
    if (b.kind === "provider") out.provider = b.block;
    else (b.kind === "resource" ? out.resources : out.dataSources)[b.type] = b.block;
  }
  if (!out.provider) throw new Error(`${pkg}: no provider binding found`);
  return out;
}

/**
 * Cache file of a provider's generated schema: keyed by binding version, binding location and the
 * content of this file.
 * @param {string} name provider short name
 */
function cacheFile(name) {
  const dir = packageDir(`@cdktf/provider-${name}`);
  const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
  const self = crypto.createHash("sha256").update(fs.readFileSync(__filename)).update(dir).digest("hex").slice(0, 12);
  return path.join(os.tmpdir(), `tf-standin-schema-${name}-${version}-${self}.json`);
}

/**
 * The schema of provider `name` ("dns", "databricks"), cached in os.tmpdir() by binding version
 * and by this file's content.
 * @param {string} name provider short name
 * @returns {ProviderSchema}
 */
function loadSchema(name) {
  const pkg = `@cdktf/provider-${name}`;
  const cache = cacheFile(name);
  try {
    return JSON.parse(fs.readFileSync(cache, "utf8"));
  } catch {
    const schema = generate(pkg);
    try {
      const tmp = `${cache}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(schema));
      fs.renameSync(tmp, cache);
    } catch {
      // the cache is an optimisation only (generating takes ~1 s for databricks)
    }
    return schema;
  }
}

/**
 * A block in the shape of tfplugin6 `Schema.Block` (for GetProviderSchema).
 * @param {Block} block
 */
function protoBlock(block) {
  return {
    version: 0,
    attributes: Object.entries(block.attributes).map(([name, a]) => protoAttr(name, a)),
    block_types: Object.entries(block.blocks).map(([name, b]) => ({
      type_name: name, block: protoBlock(b.block), nesting: b.nesting, min_items: b.min_items, max_items: b.max_items,
    })),
  };
}

/** tfplugin6 `Schema.Attribute`. */
function protoAttr(name, a) {
  const out = { name, required: !!a.required, optional: !!a.optional, computed: !!a.computed };
  if (a.type !== undefined) out.type = Buffer.from(JSON.stringify(a.type));
  else out.nested_type =
    { nesting: a.nested.nesting, attributes: Object.entries(a.nested.block.attributes).map(([n, c]) => protoAttr(n, c)) };
  return out;
}

module.exports = { loadSchema, cacheFile, generate, impliedType, attrType, protoBlock, packageDir };

if (require.main === module) {
  // node schema.js <dns|databricks> [type]: prints the generated schema (or one type's block).
  const s = loadSchema(process.argv[2] || "dns");
  const t = process.argv[3];
  console.log(JSON.stringify(t ? { resource: s.resources[t], data: s.dataSources[t] } : s, null, 1));
}
