import { BAD_INPUTS, BadInput } from "./catalogue-cases";

export { BAD_INPUTS };
export type { BadInput };

export const ERRORS_START = "<!-- errors:start (generated from test/robustness/catalogue-cases.ts by `npm run docs:errors`; a test checks it) -->";
export const ERRORS_END = "<!-- errors:end -->";

/** The README's error table: every validated input and the exact message it gets. */
export function renderErrorTable(cases: BadInput[] = BAD_INPUTS): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  return [
    "| input | error message (`{path}` is the construct path) |",
    "|---|---|",
    ...cases.map((c) => `| ${cell(c.input)} | ${cell(c.message.replace(/^test\/[A-Za-z0-9]+: /, "{path}: "))} |`),
  ].join("\n");
}

/** Replaces the generated section of a README text. */
export function withErrorTable(readme: string): string {
  const start = readme.indexOf(ERRORS_START);
  const end = readme.indexOf(ERRORS_END);
  if (start < 0 || end < start) throw new Error("README.md has no generated error section markers");
  return `${readme.slice(0, start + ERRORS_START.length)}\n${renderErrorTable()}\n${readme.slice(end)}`;
}
