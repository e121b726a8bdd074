// The one seam around cdktf: everything the library relies on that cdktf (and CDK Terrain, which
// scripts/build-cdktn.js builds the same source against) does not document as public API. Other
// modules use cdktf's documented API and these functions only. Each assumption below has a
// contract test in test/core/cdktf-seam.test.ts, which runs on cdktf and on cdktn. What cdktf
// writes into cdk.tf.json, which the command-line tool reads without loading cdktf, is the seam's
// other file, cdktf-output.ts (assumptions 13-15).
//  1. A string token's text holds "TfToken[": `${TfToken[TOKEN.n]}`. A list token's element is
//     `#{TfToken[TOKEN.n]}`, which `Token.isUnresolved` does not report.
//  2. A number token is a double of magnitude above 1e200; JSON writes it as `-d.ddde+ddd`.
//  3. A list token is an array of one element: a `#{TfToken[` string, or a number token.
//  4. A map token is an object with one key holding `&{TfToken[`.
//  5. cdktf resolves every element twice per synthesis: "preparing", then for the output.
//  6. What a resolve context's post-processor returns replaces the value being resolved. The
//     element's JSON is then merged into the stack's and resolved again, a resolvable in it
//     included, and what that resolvable's post-processor returns is final: never walked again.
//  7. HCL output: a stack writes HCL when SYNTH_HCL_OUTPUT is "true" (App.hclOutput is then true),
//     and the renderer writes a resolvable left in the stack's JSON as its fields, crashes on a
//     null inside an object (`${null}`, the same value, renders), and writes lifecycle conditions
//     as attributes, which Terraform rejects.
//  8. An element reads its `forEach` through `_getForEachExpression()` only, and writes what that
//     resolves to as `for_each`; cdktn's ITerraformIterator also declares `_getForExpressionInput()`.
//  9. A resolvable among an `Fn` function's arguments is resolved with `suppressBraces`; a whole
//     argument, without.
// 10. An element's address in the output is `<type>.<friendlyUniqueId>` (`data.` before a data
//     source's), and a local's `local.<friendlyUniqueId>`.
// 11. `synthesizeHclAttributes()` returns each attribute as `{ value, isBlock, type,
//     storageClassType }`, the shape the generated provider bindings write.
// 12. A cross-stack reference is one token object: cdktf marks the reference it meets while
//     preparing, and a new token for the same attribute read for the output is written as an
//     address in the other stack.
import {
  App, IResolvable, IResolveContext, ITerraformIterator, TerraformCondition, TerraformDataSource, TerraformLocal, TerraformResource, Token,
} from "cdktf";
import { IConstruct } from "constructs";

/** (1) The text every token marker holds: `${TfToken[`, `#{TfToken[`, `&{TfToken[`. */
const TOKEN_TEXT = "TfToken[";
/** (1) A string token marker, e.g. `${TfToken[TOKEN.12]}`; a capture group, so split() keeps it. */
const STRING_TOKEN = /(\$\{TfToken\[[a-zA-Z0-9:._-]+\]\})/;
/** (1) Every string token marker in a text. */
const STRING_TOKENS = /\$\{TfToken\[[^\]]*\]\}/g;
/** (2) A number token as JSON writes it (and any literal number that large). */
const NUMBER_TOKEN_TEXT = /-?\d(\.\d+)?e\+\d{3}/g;
/** (2) No number token is smaller in magnitude. */
const NUMBER_TOKEN_MAGNITUDE = 1e200;

/**
 * (1-4) True when a value (or any element of an array) is a token, which synthesis resolves
 * later. Cheap tests first: this runs several times for each of 1,000 targets.
 */
export function isToken(value: unknown): boolean {
  if (typeof value === "string") return value.includes(TOKEN_TEXT);
  if (value === undefined || value === null || typeof value === "boolean") return false;
  if (typeof value === "number") return mayBeNumberToken(value) && Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some((v) => isToken(v));
  return Token.isUnresolved(value);
}

/** (2) Whether a number may be a token: true for every number token, and for literals above 1e200. */
export function mayBeNumberToken(value: number): boolean {
  return Math.abs(value) >= NUMBER_TOKEN_MAGNITUDE;
}

/** (1, 2) Whether an element of a list is a token, by its value alone (a huge number, or token text). */
export function isTokenElement(value: unknown): boolean {
  return typeof value === "number" ? mayBeNumberToken(value) : typeof value === "string" && value.includes(TOKEN_TEXT);
}

/** (1) Whether a string holds a string token marker (or a list token's element). */
export function holdsTokenMarker(text: string): boolean {
  return text.includes(`{${TOKEN_TEXT}`);
}

/**
 * (1) `text` rebuilt from its parts: each string token marker through `onToken`, each run of
 * text between them through `onText`.
 */
export function mapTokenText(text: string, onToken: (marker: string) => unknown, onText: (text: string) => string): string {
  return text.split(STRING_TOKEN).map((part) => (STRING_TOKEN.test(part) ? onToken(part) : onText(part))).join("");
}

/**
 * (1, 2) A JSON text with every string token marker and every number token replaced by `mask`:
 * its shape, the same whatever numbers cdktf gave its tokens.
 */
export function maskTokens(json: string, mask: string): string {
  return json.replace(STRING_TOKENS, () => mask).replace(NUMBER_TOKEN_TEXT, () => mask);
}

/**
 * (3, 4) Whether cdktf's resolver takes `value` (an array or object) as a whole: a resolvable,
 * a list token or a map token. `Token.isUnresolved`, cheaper: no regular expression per key.
 */
export function isTokenObject(value: object): boolean {
  if (typeof (value as { resolve?: unknown }).resolve === "function") return true;
  if (Array.isArray(value)) {
    const [only] = value;
    return value.length === 1 &&
      ((typeof only === "string" && only.includes(`#{${TOKEN_TEXT}`)) || (typeof only === "number" && mayBeNumberToken(only)));
  }
  for (const key in value) if (key.includes(TOKEN_TEXT)) return true;
  return false;
}

/**
 * (6) A value already resolved. cdktf merges resolved element JSON into the stack's JSON,
 * keeping a resolvable as it is, and resolves the stack's JSON once more: there this hands its
 * value back through the post-processor hook, so the value is not walked again.
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
 * (6, 7) Makes the token being resolved in `context` stand for `value` exactly: cdktf walks it
 * no further (with HCL output, whose renderer would write a `Resolved` as its fields, `value`
 * is handed back as it is). Returns what the token's `produce` must return.
 */
export function resolveAsIs(context: IResolveContext, value: unknown, hcl: boolean): object {
  context.registerPostProcessor({ postProcess: () => (hcl ? value : new Resolved(value)) });
  return {};
}

/**
 * (6) `context.resolve(value)`, with any `Resolved` in the result replaced by its value: a value
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
 * (7) Whether the app writes HCL (`cdktf synth --hcl`, or `new App({ hclOutput: true })`). The
 * stack's synthesizer also takes `SYNTH_HCL_OUTPUT=1`, which `App.hclOutput` does not (only
 * "true"): read the variable as the synthesizer does, or the output is HCL written as JSON.
 */
export function isHcl(scope: IConstruct): boolean {
  const env = process.env.SYNTH_HCL_OUTPUT;
  return App.of(scope).hclOutput || env === "true" || env === "1";
}

/** (7) A null inside an object: `${null}` (the same value) where the HCL renderer would crash on null. */
export function nullValue(hcl: boolean): string | null {
  return hcl ? "${null}" : null;
}

/**
 * (7) Lifecycle conditions, or none where the HCL renderer would write them as attributes: they
 * are extra plan-time checks, not behaviour.
 */
export function conditions(scope: IConstruct, list: TerraformCondition[]): TerraformCondition[] | undefined {
  return isHcl(scope) ? undefined : list;
}

/**
 * (8) A `forEach` for a resource or data source: its `for_each` is what `produce()` returns (an
 * expression token). cdktf's `TerraformIterator` would make a new reference, and capture a stack
 * trace, for every field read at every resolution; read fields with `each.value.<field>`.
 */
export function forEachIterator(produce: () => unknown): ITerraformIterator {
  return new ForEachIterator(produce);
}

class ForEachIterator implements ITerraformIterator {
  constructor(private readonly produce: () => unknown) {}

  public _getForEachExpression(): any {
    return this.produce();
  }

  /** What CDK Terrain's iterators also give: their input, for a for-expression. */
  public _getForExpressionInput(): any {
    return this.produce();
  }
}

/**
 * (9) The Terraform expression `text` as a resolvable: `${<text>}` as a whole argument, `<text>`
 * inside another expression.
 */
export function expressionToken(text: string): IResolvable {
  return new ExpressionToken(text);
}

class ExpressionToken implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(private readonly text: string) {}

  public resolve(context: IResolveContext): string {
    return context.suppressBraces ? this.text : `\${${this.text}}`;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * (10) The bare Terraform address of a local, data source or resource: `local.<id>`,
 * `data.<type>.<id>` or `<type>.<id>`, followed by `path` (`.attr`, `[each.key]`).
 */
export function terraformAddress(element: TerraformLocal | TerraformDataSource | TerraformResource, path = ""): string {
  const id = element.friendlyUniqueId;
  if (element instanceof TerraformLocal) return `local.${id}${path}`;
  const address = `${element.terraformResourceType}.${id}${path}`;
  return element instanceof TerraformDataSource ? `data.${address}` : address;
}

/** (11) One plain attribute as `synthesizeHclAttributes()` returns it (`storageClassType`: "string", "number", ...). */
export function hclAttribute(value: unknown, storageClassType: string): { [key: string]: unknown } {
  return { value, isBlock: false, type: "simple", storageClassType };
}

/**
 * (12) `read`, called once per key and remembered: for tokens that may cross stacks (another
 * stack's resource attribute), which must be the same token object on every pass.
 */
export function readOnce<K, V>(read: (key: K) => V): (key: K) => V {
  const seen = new Map<K, V>();
  return (key) => {
    if (!seen.has(key)) seen.set(key, read(key));
    return seen.get(key)!;
  };
}
