// Expression helpers and template escaping: `escapeTemplate()` escapes literal text; `literal()`
// writes user values into `locals` (escaped, their tokens resolved); `keyedList()` and
// `keyedEntries()` key `for_each` maps; `addressOf()`, `expression()` and `forEachOver()` turn
// text into expression tokens. Modules write their own expression text with these (emit.ts,
// alarms.ts, ...); what the helpers rely on of cdktf beyond its documented API is in cdktf-seam.ts.
import { IResolveContext, ITerraformIterator, Lazy, TerraformDataSource, TerraformLocal, TerraformResource, Token } from "cdktf";
import { IConstruct } from "constructs";
import {
  expressionToken, forEachIterator, holdsTokenMarker, isHcl, isTokenElement, isTokenObject, mapTokenText, mayBeNumberToken, nullValue,
    resolveAsIs, resolveWith,
  terraformAddress,
} from "./cdktf-seam";

/**
 * Escapes the template sequences of a literal string (`${` -> `$${`, `%{` -> `%%{`), so that
 * Terraform reads it as text, not as an interpolation or directive. Only for text without tokens.
 */
export function escapeTemplate(text: string): string {
  // A replacer function: in a replacement string, "$$" would mean one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/**
 * A value for `locals`, written exactly as given: every literal string is escaped (so `${`, `%{`,
 * quotes and backslashes reach Terraform as text), and every token inside (a whole value, or part
 * of a string) becomes its reference (`${var.x}`), which Terraform evaluates. Object keys must be
 * literal (they key `for_each`); they are escaped like any text.
 *
 * The value is handed over through cdktf's post-processor hook, so cdktf never walks it again:
 * that keeps a 1,000-target map cheap to synthesize and stops cdktf from reading escaped text as
 * its own escape sequences. With HCL output (`cdktf synth --hcl`), nulls inside objects are
 * written `${null}` (the same value), because cdktf's HCL renderer crashes on them (cdktf-seam.ts, 7).
 */
export function literal(scope: IConstruct, produce: () => unknown): any {
  // cdktf resolves a stack twice per synthesis (cdktf-seam.ts, 5): a value `produce` returns again
  // (the same object) is converted once.
  let last: { raw: unknown; hcl: boolean; value: unknown } | undefined;
  return Lazy.anyValue({
    produce: (context) => {
      const raw = produce();
      const hcl = isHcl(scope);
      const fresh = last === undefined || last.raw !== raw || last.hcl !== hcl || typeof raw !== "object" || raw === null;
      const value = fresh ? toTerraform(raw, context, hcl) : last!.value;
      last = { raw, hcl, value };
      return resolveAsIs(context, value, hcl);
    },
  });
}

/**
 * A list of user values (CIDRs, DNS servers, workspace ids) as a map for `for_each` keys: a
 * literal value keyed by itself, a token by its position (`#1`), because a token may be unknown
 * until apply (another resource's attribute) and an unknown key fails the plan. A whole-list
 * token stays a list, keyed by value in Terraform (keyedEntries): it must be known at plan, as
 * a variable or remote state is.
 */
export function keyedList<T>(values: T[]): T[] | { [key: string]: T } {
  if (Token.isUnresolved(values)) return values;
  const out: { [key: string]: T } = {};
  values.forEach((v, i) => { out[isTokenElement(v) ? `#${i}` : String(v)] = v; });
  return out;
}

/** The `key => value` map of a keyedList() field of a local, as an expression. */
export function keyedEntries(local: string, field: string, values: unknown[] | undefined): string {
  return values !== undefined && Token.isUnresolved(values) ? `{ for v in ${local}.${field} : tostring(v) => v }` : `${local}.${field}`;
}

/**
 * `value` with its literal strings escaped and its tokens resolved; parts that need neither are
 * returned as they are (the same objects), so a plain 1,000-target map costs a walk, not a copy.
 */
function toTerraform(value: unknown, context: IResolveContext, hcl: boolean): unknown {
  switch (typeof value) {
    case "undefined":
      return nullValue(hcl);
    case "string":
      // Cheap tests first: this runs for every value of a 1,000-target map.
      if (!value.includes("{")) return value;
      if (!holdsTokenMarker(value)) return escapeTemplate(value);
      return mapTokenText(value, (token) => resolveWith(context, token), escapeTemplate);
    case "number":
      return !mayBeNumberToken(value) ? value : resolveWith(context, value);
    case "object":
      if (value === null) return nullValue(hcl);
      if (isTokenObject(value)) return resolveWith(context, value);
      return Array.isArray(value) ? convertArray(value, context, hcl) : convertObject(value as { [key: string]: unknown }, context, hcl);
    default:
      return value;
  }
}

function convertArray(value: unknown[], context: IResolveContext, hcl: boolean): unknown[] {
  let out: unknown[] | undefined;
  value.forEach((v, i) => {
    const converted = toTerraform(v, context, hcl);
    if (converted !== v) out ??= value.slice(0, i);
    out?.push(converted);
  });
  return out ?? value;
}

function convertObject(value: { [key: string]: unknown }, context: IResolveContext, hcl: boolean): { [key: string]: unknown } {
  let out: { [key: string]: unknown } | undefined;
  const keys = Object.keys(value);
  keys.forEach((k, i) => {
    const v = value[k];
    const converted = toTerraform(v, context, hcl);
    const key = k.includes("{") ? escapeTemplate(k) : k;
    if (converted !== v || key !== k) out ??= Object.fromEntries(keys.slice(0, i).map((before) => [before, value[before]]));
    if (out) out[key] = converted;
  });
  return out ?? value;
}

/**
 * The bare Terraform address of one of the library's own objects, for expression text:
 * `local.<id>`, `data.<type>.<id>` or `<type>.<id>`, followed by `path` (`.attr`, `[each.key]`).
 */
export function addressOf(element: TerraformLocal | TerraformDataSource | TerraformResource, path = ""): string {
  return terraformAddress(element, path);
}

/**
 * An expression, as a token: `${<text>}` as an argument, `<text>` inside another expression
 * (`Fn.merge([expression(...), {...}])`). `text` is made only of `addressOf()`s, Terraform keywords and
 * functions, and literals the library wrote itself, never of user values.
 */
export function expression(text: string): any {
  return Token.asAny(expressionToken(text));
}

/**
 * A resource's `for_each` over the map (or set) that `text` evaluates to (written as for
 * `expression()`); read the current item with `expression("each.key")` and
 * `expression("each.value.<field>")`. cdktf's `TerraformIterator` would make a new reference,
 * and capture a stack trace, for every field read at every resolution. A function is called at
 * synthesis, for a `for_each` that depends on what is added to the construct later.
 */
export function forEachOver(text: string | (() => string)): ITerraformIterator {
  return forEachIterator(() => expression(typeof text === "string" ? text : text()));
}
