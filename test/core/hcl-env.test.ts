// SYNTH_HCL_OUTPUT=1: the stack's synthesizer writes HCL for "1" as for "true", while
// App.hclOutput is true for "true" only; the library must follow the synthesizer.
import * as fs from "fs";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";
import { PrivateLinkRouter } from "../../src";
import { isHcl } from "../../src/core/cdktf-seam";
import { tmpDir } from "../helpers";

test.each(["1", "true"])("SYNTH_HCL_OUTPUT=%s synthesizes a router as HCL", (value) => {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = value;
  try {
    const outdir = tmpDir();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new PrivateLinkRouter(stack, "Router", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0123456789abcdef0"],
      targets: [{ name: "a", host: "a.corp.internal", port: 5432 }],
    });
    expect(isHcl(stack)).toBe(true);
    app.synth();
    // The manifest names the file by App.hclOutput (cdk.tf.json for "1"); the content is HCL either way.
    const dir = path.join(outdir, "stacks", "s");
    const file = fs.readdirSync(dir).find((f) => f.startsWith("cdk.tf"))!;
    expect(fs.readFileSync(path.join(dir, file), "utf8")).toMatch(/resource "aws_lb"/);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
});
