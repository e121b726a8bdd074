// The one place where Terraform expression text is built. A user's value never goes into that
// text: it travels as a literal in a `locals` map (escaped here, its tokens resolved here) or as
// a token in an argument; expressions are made of references to the library's own objects.
import { IResolvable, IResolveContext, Lazy, TerraformDataSource, TerraformLocal, TerraformResource, Token } from "cdktf";
import { IConstruct } from "constructs";
import { isHcl } from "./hcl";

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
      context.registerPostProcessor({ postProcess: () => value });
      return {};
    },
  });
}

function toTerraform(value: unknown, context: IResolveContext, hcl: boolean): unknown {
  if (value === null || value === undefined) return hcl ? "${null}" : null;
  if (typeof value === "string") {
    // Cheap tests first: this runs for every value of a 1,000-target map.
    if (!value.includes("{")) return value;
    if (!value.includes("{TfToken[")) return escapeTemplate(value);
    return value.split(TOKEN_MARKER).map((part) => (TOKEN_MARKER.test(part) ? context.resolve(part) : escapeTemplate(part))).join("");
  }
  if (typeof value === "number") return Math.abs(value) < 1e200 ? value : context.resolve(value); // number tokens are huge doubles
  if (typeof value !== "object" || Token.isUnresolved(value)) return typeof value === "object" ? context.resolve(value) : value;
  if (Array.isArray(value)) return value.map((v) => toTerraform(v, context, hcl));
  const out: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(value as object)) out[k.includes("{") ? escapeTemplate(k) : k] = toTerraform(v, context, hcl);
  return out;
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
