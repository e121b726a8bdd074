import * as fs from "fs";
import * as path from "path";
import { ValidationError } from "../../src";
import { newStack } from "../helpers";
import { BAD_INPUTS, withErrorTable } from "./catalogue";

// The bad-input catalogue: every validated input, the exact message. The README's error
// section is generated from the same table, so the docs cannot drift.

test("the catalogue covers at least 40 inputs, each once", () => {
  expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  expect(new Set(BAD_INPUTS.map((c) => c.input)).size).toBe(BAD_INPUTS.length);
});

test.each(BAD_INPUTS.map((c) => [c.input, c] as const))("%s: throws ValidationError with the exact message", (_, c) => {
  let error: unknown;
  try {
    c.provoke(newStack().stack);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  // `{cwd}` stands for the working directory, where relative port map paths are resolved.
  expect((error as Error).message).toBe(c.message.replace("{cwd}", process.cwd()));
});

test("the README's error section is the catalogue", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
  expect(readme).toBe(withErrorTable(readme));
});
