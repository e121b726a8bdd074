// The one place where Terraform expression text is built. A user's value never goes into that
// text: it travels as a literal in a `locals` map (escaped here, its tokens resolved here) or as
// a token in an argument; expressions are made of references to the library's own objects.
import { IResolvable, IResolveContext, ITerraformIterator, Lazy, TerraformDataSource, TerraformLocal, TerraformResource, Token } from "cdktf";
import { IConstruct } from "constructs";
import { isHcl } from "./hcl";
import { isTokenObject, Resolved, resolveWith } from "./resolve-once";

/** A cdktf string token marker, e.g. `${TfToken[TOKEN.12]}`. */
const TOKEN_MARKER = /(\$\{TfToken\[[a-zA-Z0-9:._-]+\]\})/;

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
 * written `${null}` (the same value), because cdktf 0.21's HCL renderer crashes on them.
 */
export function literal(scope: IConstruct, produce: () => unknown): any {
  // cdktf resolves a stack twice per synthesis: a value `produce` returns again (the same object)
  // is converted once.
  let last: { raw: unknown; hcl: boolean; value: unknown } | undefined;
  return Lazy.anyValue({
    produce: (context) => {
      const raw = produce();
      const hcl = isHcl(scope);
      const fresh = last === undefined || last.raw !== raw || last.hcl !== hcl || typeof raw !== "object" || raw === null;
      const value = fresh ? toTerraform(raw, context, hcl) : last!.value;
      last = { raw, hcl, value };
      context.registerPostProcessor({ postProcess: () => (hcl ? value : new Resolved(value)) });
      return {};
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
  values.forEach((v, i) => { out[isTokenValue(v) ? `#${i}` : String(v)] = v; });
  return out;
}

/** The `key => value` map of a keyedList() field of a local, as an expression. */
export function keyedEntries(local: string, field: string, values: unknown[] | undefined): string {
  return values !== undefined && Token.isUnresolved(values) ? `{ for v in ${local}.${field} : tostring(v) => v }` : `${local}.${field}`;
}

function isTokenValue(v: unknown): boolean {
  return typeof v === "number" ? Math.abs(v) >= 1e200 : typeof v === "string" && v.includes("TfToken[");
}

/**
 * `value` with its literal strings escaped and its tokens resolved; parts that need neither are
 * returned as they are (the same objects), so a plain 1,000-target map costs a walk, not a copy.
 */
function toTerraform(value: unknown, context: IResolveContext, hcl: boolean): unknown {
  switch (typeof value) {
    case "undefined":
      return hcl ? "${null}" : null;
    case "string":
      // Cheap tests first: this runs for every value of a 1,000-target map.
      if (!value.includes("{")) return value;
      if (!value.includes("{TfToken[")) return escapeTemplate(value);
      return value.split(TOKEN_MARKER).map((part) => (TOKEN_MARKER.test(part) ? resolveWith(context, part) : escapeTemplate(part))).join("");
    case "number":
      return Math.abs(value) < 1e200 ? value : resolveWith(context, value); // number tokens are huge doubles
    case "object":
      if (value === null) return hcl ? "${null}" : null;
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
  const id = element.friendlyUniqueId;
  if (element instanceof TerraformLocal) return `local.${id}${path}`;
  const address = `${element.terraformResourceType}.${id}${path}`;
  return element instanceof TerraformDataSource ? `data.${address}` : address;
}

/**
 * An expression, as a token: `${<text>}` as an argument, `<text>` inside another expression
 * (`Fn.merge([expression(...), {...}])`). `text` is made only of `addressOf()`s, Terraform keywords and
 * functions, and literals the library wrote itself, never of user values.
 */
export function expression(text: string): any {
  return Token.asAny(new Expression(text));
}

/**
 * A resource's `for_each` over the map (or set) that `text` evaluates to (written as for
 * `expression()`); read the current item with `expression("each.key")` and
 * `expression("each.value.<field>")`. cdktf's `TerraformIterator` would make a new reference,
 * and capture a stack trace, for every field read at every resolution.
 */
export function forEachOver(text: string): ITerraformIterator {
  return new ForEachOver(text);
}

class ForEachOver implements ITerraformIterator {
  constructor(private readonly text: string) {}

  public _getForEachExpression(): any {
    return expression(this.text);
  }

  /** What CDK Terrain's iterators also give: their input, for a for-expression. */
  public _getForExpressionInput(): any {
    return expression(this.text);
  }
}

class Expression implements IResolvable {
  public readonly creationStack: string[] = [];
  constructor(private readonly text: string) {}

  public resolve(context: IResolveContext): string {
    return context.suppressBraces ? this.text : `\${${this.text}}`;
  }

  public toString(): string {
    return Token.asString(this);
  }
}
