// The library's blocks resolved in one cheap walk: cdktf resolves every element's JSON twice
// (once "preparing", once for output) and then the whole stack's JSON a third time, with a
// general resolver that costs ~10 us per value; for the library's blocks only tokens need it.
import { IResolvable, IResolveContext, TerraformElement } from "cdktf";
import { IConstruct } from "constructs";

/** cdktf's test for a number token written into a string (its own resolver makes the same test). */
const NUMBER_TOKEN_TEXT = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;

/**
 * A value already resolved. cdktf merges resolved element JSON into the stack's JSON, keeping
 * a resolvable as it is, and resolves the stack's JSON once more: there this hands its value
 * back through the post-processor hook, so the value is not walked again.
 */
export class Resolved implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(public readonly value: unknown) {}

  public resolve(context: IResolveContext): unknown {
    context.registerPostProcessor({ postProcess: () => this.value });
    return {};
  }
}

/**
 * Whether cdktf's resolver takes `value` (an array or object) as a whole: a resolvable, a list
 * token (an array of one `#{TfToken[...]}` string or one huge number) or a map token (a key
 * `&{TfToken[...]}`). `Token.isUnresolved`, cheaper: no regular expression per key.
 */
export function isTokenObject(value: object): boolean {
  if (typeof (value as { resolve?: unknown }).resolve === "function") return true;
  if (Array.isArray(value)) {
    const [only] = value;
    return value.length === 1 && ((typeof only === "string" && only.includes("#{TfToken[")) || (typeof only === "number" && Math.abs(only) >= 1e200));
  }
  for (const key in value) if (key.includes("TfToken[")) return true;
  return false;
}

/**
 * `context.resolve(value)`, with any `Resolved` in the result replaced by its value: a value
 * resolved inside a block that is itself handed over as `Resolved` is never walked again.
 */
export function resolveWith(context: IResolveContext, value: unknown): unknown {
  return unwrap(context.resolve(value));
}

/** `value` with every `Resolved` inside replaced by its value; unchanged parts stay the same objects. */
function unwrap(value: unknown): unknown {
  if (value instanceof Resolved) return unwrap(value.value);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value);
  const unwrapped = entries.map(([, v]) => unwrap(v));
  if (unwrapped.every((v, i) => v === entries[i][1])) return value;
  return Array.isArray(value) ? unwrapped : Object.fromEntries(entries.map(([k], i) => [k, unwrapped[i]]));
}

/**
 * From now on, every Terraform element under `scope` (resources, data sources, outputs, locals) hands
 * cdktf its blocks as `ResolvedOnce` tokens: cdktf's resolver then meets one token per block
 * instead of every value in it. Elements already switched are skipped; an element missed
 * keeps cdktf's own way, which gives the same JSON, only slower. The HCL output is untouched.
 */
export function resolveOnceBelow(scope: IConstruct): void {
  for (const node of scope.node.findAll()) {
    if (!TerraformElement.isTerraformElement(node) || switched.has(node)) continue;
    switched.add(node);
    const element = node as TerraformElement;
    const own = element.toTerraform.bind(element);
    element.toTerraform = () => asResolvedOnce(own());
  }
}

const switched = new WeakSet<IConstruct>();

/** The fragment with each block (`resource.<type>.<id>`, `data.<type>.<id>`, `output.<id>`, `locals.<id>`) wrapped. */
function asResolvedOnce(fragment: any): any {
  for (const kind of ["resource", "data"]) {
    for (const blocks of Object.values<any>(fragment?.[kind] ?? {})) {
      for (const id of Object.keys(blocks ?? {})) blocks[id] = new ResolvedOnce(blocks[id]);
    }
  }
  for (const kind of ["output", "locals"]) {
    const blocks = fragment?.[kind] ?? {};
    for (const id of Object.keys(blocks)) blocks[id] = new ResolvedOnce(blocks[id]);
  }
  return fragment;
}

/** A block: its tokens resolved by cdktf, the rest copied as it is; handed over as `Resolved`. */
class ResolvedOnce implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(private readonly block: unknown) {}

  public resolve(context: IResolveContext): unknown {
    const value = resolveTokens(this.block, context);
    context.registerPostProcessor({ postProcess: () => new Resolved(value) });
    return {};
  }
}

/**
 * What cdktf's resolver gives for `value`: plain strings, numbers, booleans, arrays and objects
 * are copied (undefined dropped, as cdktf does); anything that holds or is a token, or is not
 * plain data, goes to cdktf's resolver as it is.
 */
export function resolveTokens(value: unknown, context: IResolveContext): unknown {
  switch (typeof value) {
    case "string":
      return value.includes("TfToken[") || NUMBER_TOKEN_TEXT.test(value) ? resolveWith(context, value) : value;
    case "number":
      return Math.abs(value) < 1e200 ? value : resolveWith(context, value); // number tokens are huge doubles
    case "boolean":
    case "undefined":
      return value;
    case "object":
      if (value === null) return null;
      if (Array.isArray(value)) return resolveArray(value, context);
      if (Object.getPrototypeOf(value) !== Object.prototype || isTokenObject(value)) return resolveWith(context, value);
      return resolveObject(value as { [key: string]: unknown }, context);
    default:
      return resolveWith(context, value); // cdktf's own error for a function
  }
}

function resolveArray(value: unknown[], context: IResolveContext): unknown {
  // A list token is an element of its array (`#{TfToken[...]}`, or a huge number): cdktf resolves the array as a whole.
  if (value.some((v) => (typeof v === "string" && v.includes("TfToken[")) || (typeof v === "number" && Math.abs(v) >= 1e200))) {
    return resolveWith(context, value);
  }
  return value.map((v) => resolveTokens(v, context)).filter((v) => v !== undefined);
}

function resolveObject(value: { [key: string]: unknown }, context: IResolveContext): unknown {
  const keys = Object.keys(value);
  if (keys.some((k) => k.includes("TfToken[") || NUMBER_TOKEN_TEXT.test(k))) return resolveWith(context, value);
  const out: { [key: string]: unknown } = {};
  for (const k of keys) {
    const v = resolveTokens(value[k], context);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
