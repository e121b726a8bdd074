// The repository's documents held to the code: the README's map of src/ lists exactly the files
// in src/, every file there opens with a comment saying what it is for and stays within 300
// lines, and what the code and documents cite exists in the repository (docs/design.md#...).
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** Every file under `dir` (relative to the repository), skipping installed and generated folders. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
    .filter((f) => !/(^|\/)(node_modules|cdktf\.out|__snapshots__)(\/|$)/.test(f))
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(path.join(ROOT, f)).isFile());
}

const SRC = filesUnder("src").map((f) => path.relative("src", f)).sort();

/** Files over the line limit, and why they may be for now. */
const LONG_FILES: { [file: string]: string } = {};

test("the README's map of src/ lists every file in src/, once", () => {
  const readme = read("README.md");
  const start = readme.indexOf("### A map of `src/`");
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf("\n### ", start + 1));
  const listed = section.split("\n").filter((l) => l.startsWith("| `"))
    .flatMap((row) => [...row.split("|")[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  expect([...listed].sort()).toEqual(SRC);
});

test.each(SRC)("src/%s opens with a comment saying what it is for", (file) => {
  const [first, second] = read(path.join("src", file)).split("\n").filter((l) => l.trim() !== "");
  expect(first === "/**" ? second : first).toMatch(/^(\/\/|\/\*\*?| \*) \S/);
});

test.each(SRC)("src/%s is at most 300 lines", (file) => {
  const lines = read(path.join("src", file)).split("\n").length - 1;
  if (LONG_FILES[file]) return;
  expect(lines).toBeLessThanOrEqual(300);
});

/** The files that cite notes: code, tests, scripts, examples and the documents. */
const CITING = ["src", "test", "scripts", "bench", "examples", "docs"].flatMap(filesUnder)
  .filter((f) => /\.(ts|js|md)$/.test(f) && f !== path.join("test", "docs.test.ts"))
  .concat(["README.md", "BENCHMARKS.md", "eslint.config.mjs", "jest.config.js", "jest.terraform.config.js"].filter((f) => fs.existsSync(path.join(ROOT, f))));

test("every docs/design.md#section cited is a heading of docs/design.md", () => {
  const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\s-]/g, "").replace(/\s/g, "-");
  const sections = new Set([...read("docs/design.md").matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
  const cited = CITING.flatMap((f) => [...read(f).matchAll(/docs\/design\.md#([\w-]+)/g)].map((m) => `${f}: ${m[1]}`));
  expect(cited.length).toBeGreaterThan(0);
  expect(cited.filter((c) => !sections.has(c.split(": ")[1]))).toEqual([]);
});

test("nothing cites notes that are not in the repository (a shared design or facts file, an issue number)", () => {
  const outside = new RegExp(["\\.\\./shared/", "\\bDESIGN\\.md", "\\bFACTS\\.md", "\\bSTYLE\\.md", "\\bissue \\d+"].join("|"), "i");
  const citing = CITING.filter((f) => read(f).split("\n").some((line) => outside.test(line.replace(/docs\/design\.md/g, ""))));
  expect(citing).toEqual([]);
});
