// How the tool shows a synthesized value: a literal as it is, a Terraform expression (a token
// such as "${var.host}", known only at apply) as "(from var.host at apply)", never garbage.

/** Whether a synthesized string holds a Terraform interpolation (`${...}` not escaped as `$${`). */
export function isExpression(value: unknown): value is string {
  return typeof value === "string" && /(^|[^$])\$\{/.test(value);
}

/** A literal string as the user wrote it: Terraform's template escapes (`$${`, `%%{`) undone. */
export function unescapeLiteral(value: string): string {
  return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** "(from var.x at apply)" for an expression; the literal otherwise (strings unescaped). */
export function shown(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (isExpression(value)) {
    const whole = /^\$\{([^]*)\}$/.exec(value);
    const inner = whole && !whole[1].includes("${") ? whole[1] : value.replace(/\$\{([^{}]*)\}/g, "$1").replace(/\$\{/g, "");
    return `(from ${inner.length > 80 ? `${inner.slice(0, 77)}...` : inner} at apply)`;
  }
  if (typeof value === "string") return unescapeLiteral(value);
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The address a reference names: "${aws_lb.X.arn}" -> "aws_lb.X"; undefined for anything else. */
export function referencedAddress(value: unknown, type?: string): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value);
  if (!m || (type !== undefined && !m[1].startsWith(`${type}.`))) return undefined;
  return m[1];
}
