// Every ValidationError the library can throw has a case in the error catalogue (and so a line
// in the README's error table): each `new ValidationError(...)`, `new PlacementError(...)` and
// `new StalePortMapError(...)` in src/ is matched by its longest literal fragment.
import * as fs from "fs";
import * as path from "path";
import { BAD_INPUTS } from "./catalogue";

const SRC = path.join(__dirname, "..", "..", "src");

/** Messages no test input can provoke, and why. */
const UNREACHABLE: { [fragment: string]: string } = {
  "the IP sync handler": "a build problem (lib/ip-sync missing), not an input: a plain Error",
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []);
}

/** Each error's message template, as written between the backticks. */
function templates(): { file: string; template: string }[] {
  const out: { file: string; template: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/new (?:ValidationError|PlacementError|StalePortMapError)\(\s*`((?:[^`\\]|\\.)*)`/g)) out.push({ file: path.relative(SRC, file), template: m[1] });
  }
  return out;
}

/** The longest literal run of a template (between `${...}` holes), unescaped. */
function longestFragment(template: string): string {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < template.length; i++) {
    if (depth === 0 && template[i] === "$" && template[i + 1] === "{" && template[i - 1] !== "\\") {
      parts.push(current);
      current = "";
      depth = 1;
      i++;
    } else if (depth > 0) {
      if (template[i] === "{") depth++;
      if (template[i] === "}") depth--;
    } else current += template[i];
  }
  parts.push(current);
  return parts.map((p) => p.replace(/\\(.)/g, "$1")).sort((a, b) => b.length - a.length)[0];
}

test("the scan finds the library's errors", () => {
  expect(templates().length).toBeGreaterThan(80);
});

test.each(templates().map((t) => [`${t.file}: ${longestFragment(t.template).slice(0, 60)}`, t] as const))("%s has a catalogue case", (_, t) => {
  const fragment = longestFragment(t.template);
  if (Object.keys(UNREACHABLE).some((u) => fragment.includes(u))) return;
  expect(BAD_INPUTS.some((c) => c.message.includes(fragment))).toBe(true);
});
