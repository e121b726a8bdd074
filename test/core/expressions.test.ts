import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Fn, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { PrivateLinkRouter } from "../../src";
import { addressOf, escapeTemplate, expression, keyedEntries, keyedList, literal } from "../../src/core/expressions";
import { isToken } from "../../src/core/validate";

let stack: TerraformStack;
beforeEach(() => {
  stack = new TerraformStack(Testing.app(), "s");
});

describe("escapeTemplate", () => {
  test.each([
    ["plain", "plain"],
    ["a${b}", "a$${b}"],
    ["%{ if x }", "%%{ if x }"],
    ["$${kept}", "$$${kept}"],
    ["%%{kept}", "%%%{kept}"],
    ['q"uote \\back', 'q"uote \\back'],
  ])("%p is written %p", (text, escaped) => {
    expect(escapeTemplate(text)).toBe(escaped);
  });
});

describe("literal", () => {
  test("converts the same object once, and a new object again (a target added after a synthesis shows)", () => {
    let current: object = { a: "x${y}" };
    let calls = 0;
    new TerraformLocal(stack, "l", literal(stack, () => { calls++; return current; }));
    const first = JSON.parse(Testing.synth(stack)).locals.l;
    expect(first).toEqual({ a: "x$${y}" });
    current = { a: "x", b: "y" };
    expect(JSON.parse(Testing.synth(stack)).locals.l).toEqual({ a: "x", b: "y" });
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  test("a router synthesized, then given another target, synthesizes that target too", () => {
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const router = new PrivateLinkRouter(stack, "R", { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], targets: [{ ips: ["10.0.0.1"], port: 1 }] });
    const names = () => Object.keys(Object.entries<any>(JSON.parse(Testing.synth(stack)).locals).find(([k]) => k.includes("_targets_"))![1]);
    expect(names()).toEqual(["ip-10-0-0-1"]);
    router.addTarget({ ips: ["10.0.0.2"], port: 2 });
    expect(names()).toEqual(["ip-10-0-0-1", "ip-10-0-0-2"]);
  });

  test("escapes literal text, keys included, and leaves quotes and backslashes to JSON", () => {
    // GIVEN
    new TerraformLocal(stack, "l", literal(stack, () => ({ "k${x}": 'a${b} %{c} "q" \\', n: 1, none: null, list: ["${y}"] })));
    // WHEN
    const json = JSON.parse(Testing.synth(stack));
    // THEN
    expect(json.locals.l).toEqual({ "k$${x}": 'a$${b} %%{c} "q" \\', n: 1, none: null, list: ["$${y}"] });
  });

  test("resolves tokens, whole or inside a string, into references Terraform evaluates", () => {
    const v = new TerraformVariable(stack, "v", { type: "string" });
    const n = new TerraformVariable(stack, "n", { type: "number" });
    const l = new TerraformVariable(stack, "l", { type: "list(string)" });
    new TerraformLocal(stack, "x", literal(stack, () => ({ s: v.stringValue, mixed: `a\${b}-${v.stringValue}`, n: n.numberValue, l: l.listValue })));
    expect(JSON.parse(Testing.synth(stack)).locals.x).toEqual({ s: "${var.v}", mixed: "a$${b}-${var.v}", n: "${var.n}", l: "${var.l}" });
  });

  test("writes nulls as ${null} for cdktf's HCL renderer", () => {
    const app = new App({ hclOutput: true, outdir: Testing.app().outdir });
    const hcl = new TerraformStack(app, "h");
    new TerraformLocal(hcl, "l", literal(hcl, () => ({ a: null })));
    expect(JSON.parse(Testing.synth(hcl)).locals.l).toEqual({ a: "${null}" });
  });
});

describe("expr and ref", () => {
  test("an expression is ${text} as an argument and bare text inside another expression", () => {
    const local = new TerraformLocal(stack, "tags", { a: "b" });
    new TerraformOutput(stack, "whole", { value: expression(addressOf(local)) });
    new TerraformOutput(stack, "inside", { value: Fn.merge([expression(addressOf(local)), { Name: "n" }]) });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.whole.value).toBe("${local.tags}");
    expect(json.output.inside.value).toBe('${merge(local.tags, {"Name" = "n"})}');
  });

  test("ref names locals, resources and data sources by address, with a path", () => {
    const local = new TerraformLocal(stack, "x", 1);
    expect(addressOf(local, ".a")).toBe("local.x.a");
  });
});

describe("isToken", () => {
  test.each([
    ["a string token", () => new TerraformVariable(stack, "v", { type: "string" }).stringValue, true],
    ["a list token", () => new TerraformVariable(stack, "v", { type: "list(string)" }).listValue, true],
    ["a list token's element", () => new TerraformVariable(stack, "v", { type: "list(string)" }).listValue[0], true],
    ["a number token", () => new TerraformVariable(stack, "v", { type: "number" }).numberValue, true],
    ["a literal", () => "10.0.0.0/8", false],
    ["a literal list", () => ["a", "b"], false],
  ])("%s: %p", (_, make, expected) => {
    expect(isToken(make())).toBe(expected);
  });
});

describe("keyedList: user values as for_each keys that never wait for apply", () => {
  test.each([
    ["literals keyed by themselves", ["10.0.0.0/16", "10.1.0.0/16"], { "10.0.0.0/16": "10.0.0.0/16", "10.1.0.0/16": "10.1.0.0/16" }],
    ["an empty list", [], {}],
  ])("%s", (_, values, expected) => {
    expect(keyedList(values)).toEqual(expected);
  });

  test("a token element is keyed by its position, a whole-list token stays a list", () => {
    const one = new TerraformVariable(stack, "one", { type: "string" }).stringValue;
    const all = new TerraformVariable(stack, "all", { type: "list(string)" }).listValue;
    expect(keyedList(["10.0.0.0/16", one])).toEqual({ "10.0.0.0/16": "10.0.0.0/16", "#1": one });
    expect(keyedList(all)).toBe(all);
    expect(keyedEntries("local.s", "cidrs", all)).toBe("{ for v in local.s.cidrs : tostring(v) => v }");
    expect(keyedEntries("local.s", "cidrs", ["10.0.0.0/16", one])).toBe("local.s.cidrs");
  });
});
