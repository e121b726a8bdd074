import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tmpDir } from "../helpers";
import { program } from "./determinism-program";

const root = path.join(__dirname, "..", "..");
const run = () => spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "determinism-program.ts")], { cwd: root, encoding: "utf8" });

test("the same program synthesizes byte-identical JSON in two processes", () => {
  const a = run();
  const b = run();
  expect(a.status).toBe(0);
  expect(a.stdout.length).toBeGreaterThan(10000);
  expect(b.stdout).toBe(a.stdout);
  expect(program()).toBe(a.stdout);
});

test("with a port map file, synthesis does not depend on declaration order", () => {
  const file = path.join(tmpDir(), "ports.json");
  const first = program(file);
  const map = fs.readFileSync(file, "utf8");
  expect(program(file, true)).toBe(first);
  expect(fs.readFileSync(file, "utf8")).toBe(map);
});

test("without one, reversing the targets moves ports (why the port map file exists)", () => {
  expect(program(undefined, true)).not.toBe(program());
});
