import * as fs from "fs";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Fn, Lazy, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import { literal } from "../../src/core/expressions";
import { resolveOnceBelow } from "../../src/core/resolve-once";
import { scenarios } from "../terraform/harness/scenarios";

/** The stack's JSON as `app.synth()` writes it (cdktf's "preparing" pass included). */
function fullSynth(stack: TerraformStack): any {
  const dir = Testing.fullSynth(stack);
  return JSON.parse(fs.readFileSync(path.join(dir, "stacks", stack.node.id, "cdk.tf.json"), "utf8"));
}

/** Values of every kind cdktf's resolver meets in a block: each must come out as cdktf writes it. */
function awkwardValues(stack: TerraformStack): { [name: string]: unknown } {
  const v = new TerraformVariable(stack, "v", { type: "string" });
  const n = new TerraformVariable(stack, "n", { type: "number" });
  const l = new TerraformVariable(stack, "l", { type: "list(string)" });
  const m = new TerraformVariable(stack, "m", { type: "map(string)" });
  const sg = new SecurityGroup(stack, "sg", { name: "x" });
  return {
    text: "plain", template: "${var.raw} and %{ if true }x%{ endif }", escaped: "$${kept}", numberish: "db1e5-2e+10.example",
    number: 5432, big: 1e300, negative: -1.5, yes: true, missing: undefined,
    emptyList: [], emptyMap: {}, listWithHoles: ["a", undefined, "b"],
    stringToken: v.stringValue, inText: `prefix-${v.stringValue}-suffix`, numberToken: n.numberValue, numberInText: `port ${n.numberValue}`,
    listToken: l.listValue, listInList: [v.stringValue, "x"], mapToken: m.value, stringMap: Token.asStringMap(m.value),
    reference: sg.id, call: Fn.join(",", l.listValue), lazy: Lazy.stringValue({ produce: () => "lazy ${text}" }),
    lazyObject: Lazy.anyValue({ produce: () => ({ a: v.stringValue, b: undefined, c: [1, n.numberValue] }) }),
    literalInside: literal(stack, () => ({ text: "a${b}", token: v.stringValue })),
    nested: { deeper: { list: [{ k: v.stringValue }, { k: "${literal}" }], "key with ${": 1 } },
  };
}

describe("resolveOnceBelow", () => {
  test.each(["Testing.synth", "app.synth"])("an output holding every kind of value is written as cdktf writes it (%s)", (how) => {
    const [plain, switched] = ["plain", "switched"].map((id) => {
      const stack = new TerraformStack(Testing.app(), "s");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      new TerraformOutput(stack, "out", { value: awkwardValues(stack) });
      if (id === "switched") resolveOnceBelow(stack);
      return how === "app.synth" ? fullSynth(stack) : JSON.parse(Testing.synth(stack));
    });
    expect(switched).toEqual(plain);
    expect(switched.output.out.value.literalInside).toEqual({ text: "a$${b}", token: "${var.v}" });
  });

  test("a resource's block is written as cdktf writes it, and switching twice changes nothing", () => {
    const build = (times: number) => {
      const stack = new TerraformStack(Testing.app(), "s");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      const v = new TerraformVariable(stack, "v", { type: "string" });
      new SecurityGroup(stack, "sg", {
        name: "x", description: "${not.a.reference}", vpcId: v.stringValue, tags: { a: v.stringValue, b: "c" },
        egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
        lifecycle: { createBeforeDestroy: true, ignoreChanges: ["tags"] },
      });
      for (let i = 0; i < times; i++) resolveOnceBelow(stack);
      return JSON.parse(Testing.synth(stack));
    };
    const plain = build(0);
    expect(build(1)).toEqual(plain);
    expect(build(2)).toEqual(plain);
  });

  test("every harness scenario (examples included) is written the same with the library's blocks switched or not", () => {
    const switched = scenarios().map((s) => s.config());
    let plain: unknown[] = [];
    let skipped = 0;
    jest.isolateModules(() => {
      jest.doMock("../../src/core/resolve-once", () => ({ ...jest.requireActual("../../src/core/resolve-once"), resolveOnceBelow: () => skipped++ }));
      plain = jest.requireActual<typeof import("../terraform/harness/scenarios")>("../terraform/harness/scenarios").scenarios().map((s) => s.config());
    });
    expect(skipped).toBeGreaterThan(10);
    expect(switched.length).toBeGreaterThan(10);
    expect(switched).toEqual(plain);
  });
});
