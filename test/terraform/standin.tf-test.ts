// The stand-in providers themselves: their schemas match the cdktf bindings, and Terraform can
// init, plan, apply (twice), update, replace, destroy and `terraform test` with them.
import { execFileSync } from "child_process";
import * as path from "path";
import { terraformAvailable } from "./harness/terraform";

const dir = path.join(__dirname, "standin");
const describeTf = terraformAvailable() ? describe : describe.skip;

describeTf("stand-in providers", () => {
  test("their schemas are the cdktf bindings' schemas", () => {
    expect(() => execFileSync("node", [path.join(dir, "check-schema.js")], { stdio: "pipe" })).not.toThrow();
  });

  test("Terraform runs them through a whole lifecycle (selftest.js)", () => {
    const out = execFileSync("node", [path.join(dir, "selftest.js")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/standin selftest: PASS \(\d+ checks\)/);
  });
});
