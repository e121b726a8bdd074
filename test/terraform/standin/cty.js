// cty values for the stand-in providers: msgpack/JSON <-> plain JS values, driven by a cty type,
// plus the schema walks the generic provider needs (mark computed as unknown, fill unknowns).
"use strict";

const crypto = require("crypto");
const { encode, decode, ExtData } = require("@msgpack/msgpack");
const { impliedType, attrType } = require("./schema");

/** An unknown value ("known after apply"). */
const UNKNOWN = Symbol("unknown");

/** A value of the `dynamic` pseudo-type: its concrete type and its value. */
class Dynamic {
  /** @param {any} type cty type JSON @param {any} value */
  constructor(type, value) {
    this.type = type;
    this.value = value;
  }
}

/** Element type of list/set/map types. */
const elem = (type) => type[1];
const kindOf = (type) => (typeof type === "string" ? type : type[0]);

/**
 * Plain JS value -> msgpack-ready value for a cty type (objects get every attribute, null when unset).
 * @param {any} type cty type JSON
 * @param {any} v
 */
function toWire(type, v) {
  if (v === UNKNOWN) return new ExtData(0, new Uint8Array([0]));
  if (v === null || v === undefined) return null;
  switch (kindOf(type)) {
    case "string": return String(v);
    case "number": return typeof v === "number" || typeof v === "bigint" ? v : Number(v);
    case "bool": return !!v;
    case "dynamic": {
      const d = v instanceof Dynamic ? v : new Dynamic(guessType(v), v);
      return [Buffer.from(JSON.stringify(d.type)), toWire(d.type, d.value)];
    }
    case "list": case "set": return v.map((x) => toWire(elem(type), x));
    case "tuple": return type[1].map((t, i) => toWire(t, v[i]));
    case "map": return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(elem(type), x)]));
    case "object": return Object.fromEntries(Object.entries(type[1]).map(([k, t]) => [k, toWire(t, v[k])]));
    default: throw new Error(`unsupported cty type ${JSON.stringify(type)}`);
  }
}

/** The cty type of a plain JS value put in a dynamic attribute. */
function guessType(v) {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return ["tuple", v.map(guessType)];
  return ["object", Object.fromEntries(Object.entries(v).map(([k, x]) => [k, guessType(x)]))];
}

/**
 * Decoded msgpack (or JSON) value -> plain JS value for a cty type.
 * @param {any} type
 * @param {any} v
 */
function fromWire(type, v) {
  if (v instanceof ExtData) {
    if (v.type === 0 || v.type === 12) return UNKNOWN; // 12: refined unknown; refinements ignored
    throw new Error(`unexpected msgpack extension type ${v.type}`);
  }
  if (v === null || v === undefined) return null;
  switch (kindOf(type)) {
    case "string": return String(v);
    // An integer past 2^53 (a 16-digit workspace id) stays a BigInt, so it travels back exactly.
    case "number": return typeof v === "bigint" ? (Number.isSafeInteger(Number(v)) ? Number(v) : v) : typeof v === "string" ? Number(v) : v;
    case "bool": return !!v;
    case "dynamic": {
      if (Array.isArray(v) && v.length === 2 && v[0] instanceof Uint8Array) {
        const t = JSON.parse(Buffer.from(v[0]).toString("utf8"));
        return new Dynamic(t, fromWire(t, v[1]));
      }
      return new Dynamic(guessType(v), v); // JSON state: the value as is
    }
    case "list": case "set": return v.map((x) => fromWire(elem(type), x));
    case "tuple": return type[1].map((t, i) => fromWire(t, v[i]));
    case "map": return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromWire(elem(type), x)]));
    case "object": return Object.fromEntries(Object.entries(type[1]).map(([k, t]) => [k, fromWire(t, v[k])]));
    default: throw new Error(`unsupported cty type ${JSON.stringify(type)}`);
  }
}

/**
 * A tfplugin6 DynamicValue -> plain JS value of a block's type (null when empty).
 * @param {import("./schema").Block} block
 * @param {{msgpack?: Buffer, json?: Buffer}|null} dv
 */
function decodeDV(block, dv) {
  const type = impliedType(block);
  if (dv && dv.msgpack && dv.msgpack.length) return fromWire(type, decode(dv.msgpack, { useBigInt64: true }));
  if (dv && dv.json && dv.json.length) return fromWire(type, JSON.parse(Buffer.from(dv.json).toString("utf8")));
  return null;
}

/**
 * Plain JS value of a block's type -> tfplugin6 DynamicValue (msgpack).
 * @param {import("./schema").Block} block
 * @param {any} v
 */
function encodeDV(block, v) {
  return { msgpack: Buffer.from(encode(toWire(impliedType(block), conform(block, v)), { useBigInt64: true })) };
}

/**
 * Gives absent nested blocks their canonical empty value (LIST/SET: [], MAP: {}), recursively.
 * @param {import("./schema").Block} block
 * @param {any} v object value or null/UNKNOWN
 */
function conform(block, v) {
  if (v === null || v === undefined || v === UNKNOWN) return v === undefined ? null : v;
  const out = { ...v };
  for (const [n, b] of Object.entries(block.blocks)) {
    let x = out[n];
    if (x === null || x === undefined) x = b.nesting === "LIST" || b.nesting === "SET" ? [] : b.nesting === "MAP" ? {} : null;
    out[n] = eachNested(b.nesting, x, (e) => conform(b.block, e));
  }
  return out;
}

/** Applies f to each object of a nested value (LIST/SET elements, MAP values or the SINGLE object). */
function eachNested(nesting, v, f) {
  if (v === null || v === undefined || v === UNKNOWN) return v;
  if (nesting === "SINGLE") return f(v);
  if (nesting === "MAP") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)]));
  return v.map(f);
}

/**
 * Plan of a create: every computed attribute that is null becomes unknown, in nested blocks and
 * nested attributes too.
 * @param {import("./schema").Block} block
 * @param {object} v proposed object
 */
function markComputedUnknown(block, v) {
  if (v === null || v === UNKNOWN) return v;
  const out = { ...v };
  for (const [n, a] of Object.entries(block.attributes)) {
    if ((out[n] === null || out[n] === undefined) && a.computed) out[n] = UNKNOWN;
    else if (a.nested) out[n] = eachNested(a.nested.nesting, out[n], (e) => markComputedUnknown(a.nested.block, e));
  }
  for (const [n, b] of Object.entries(block.blocks)) out[n] = eachNested(b.nesting, out[n], (e) => markComputedUnknown(b.block, e));
  return out;
}

/** A short deterministic hash of strings. */
function shortHash(...parts) {
  return crypto.createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 8);
}

/**
 * Replaces every unknown with a value of its type: strings `<name>-<hash of seed and path>`,
 * numbers 0, bools false, lists/sets [], maps {}, objects and dynamic null.
 * @param {any} type cty type
 * @param {any} v
 * @param {string} seed e.g. resource type + config
 * @param {string} [at] attribute path, for names and hashes
 */
function fillUnknown(type, v, seed, at = "") {
  if (v === UNKNOWN) {
    switch (kindOf(type)) {
      case "string": return `${at.split(".").pop().replace(/\[\d+\]$/, "") || "value"}-${shortHash(seed, at)}`;
      case "number": return 0;
      case "bool": return false;
      case "list": case "set": case "tuple": return [];
      case "map": return {};
      default: return null;
    }
  }
  if (v === null || v === undefined) return null;
  switch (kindOf(type)) {
    case "list": case "set": return v.map((x, i) => fillUnknown(elem(type), x, seed, `${at}[${i}]`));
    case "map": return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillUnknown(elem(type), x, seed, `${at}.${k}`)]));
    case "object": return Object.fromEntries(Object.entries(type[1]).map(([k, t]) => [k, fillUnknown(t, v[k], seed, at ? `${at}.${k}` : k)]));
    default: return v;
  }
}

/** True when a value is or contains an unknown. */
function hasUnknown(v) {
  if (v === UNKNOWN) return true;
  if (v === null || typeof v !== "object") return false;
  return Object.values(v).some(hasUnknown);
}

/** Deep equality of plain values (an unknown equals nothing). */
function equal(a, b) {
  if (hasUnknown(a) || hasUnknown(b)) return false;
  return JSON.stringify(a, bigintAsText) === JSON.stringify(b, bigintAsText);
}

/** For logs: values with unknowns shown as "<unknown>". */
function show(v) {
  return JSON.stringify(v, (k, x) => (x === UNKNOWN ? "<unknown>" : bigintAsText(k, x)));
}

/** A JSON.stringify replacer for integers past 2^53, which fromWire keeps as BigInt. */
function bigintAsText(_key, x) {
  return typeof x === "bigint" ? x.toString() : x;
}

module.exports = {
  UNKNOWN, Dynamic, toWire, fromWire, decodeDV, encodeDV, conform, markComputedUnknown, fillUnknown,
  hasUnknown, equal, show, shortHash, impliedType, attrType, eachNested, bigintAsText,
};
