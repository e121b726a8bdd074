// What `literal()` (expressions.ts) knows of cdktf beyond its documented API: which values
// cdktf's resolver takes whole (token text), and a value handed back through the resolve
// context's post-processor hook, so that cdktf does not walk an escaped literal map again.
import { IResolvable, IResolveContext } from "cdktf";

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
