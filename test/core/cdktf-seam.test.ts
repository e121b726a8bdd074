// The contract of src/core/cdktf-seam.ts: one test per assumption it makes of cdktf beyond the
// documented API, each failing when the assumption stops holding. Like every unit test, it runs
// once per jest project: on cdktf, and on cdktn (jest.config.js maps the module names).
import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { App, Fn, Lazy, TerraformIterator, TerraformLocal, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import {
  conditions, expressionToken, forEachIterator, hclAttribute, holdsTokenMarker, isHcl, isToken, isTokenElement, isTokenObject,
    mapTokenText, maskTokens,
  mayBeNumberToken, nullValue, readOnce, Resolved, resolveAsIs, resolveWith, terraformAddress,
} from "../../src/core/cdktf-seam";
import { constructPathOf, logicalIdOf, logicalIdParent, logicalIdPrefix, readsStack, remoteStateReference } from "../../src/core/cdktf-output";
import { DnsARecordSet, DnsProviderBlock } from "../../src/core/dns";
import { tmpDir } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const FRAMEWORK: { name: string; version: string } = require("cdktf/package.json");

/** A token that resolves to `value`. */
const lazy = (value: unknown = "RESOLVED") => Lazy.anyValue({ produce: () => value });

let stack: TerraformStack;
beforeEach(() => {
  stack = new TerraformStack(Testing.app(), "s");
});

/** A stack of an app that writes its files to a fresh folder; `synth()` returns the stack's file. */
function appStack(hcl = false): { stack: TerraformStack; synth: () => string } {
  const outdir = tmpDir();
  const previous = process.env.SYNTH_HCL_OUTPUT;
  if (hcl) process.env.SYNTH_HCL_OUTPUT = "true";
  try {
    const app = new App({ outdir });
    const s = new TerraformStack(app, "s");
    return { stack: s, synth: () => withHcl(hcl, () => { app.synth(); return fs.readFileSync(path.join(outdir, "stacks", "s", hcl ? "cdk.tf" : "cdk.tf.json"), "utf8"); }) };
  } finally {
    restore(previous);
  }
}

function withHcl<T>(hcl: boolean, fn: () => T): T {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  if (hcl) process.env.SYNTH_HCL_OUTPUT = "true";
  try {
    return fn();
  } finally {
    restore(previous);
  }
}

function restore(previous: string | undefined): void {
  if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
  else process.env.SYNTH_HCL_OUTPUT = previous;
}

describe(`the cdktf seam, on ${FRAMEWORK.name} ${FRAMEWORK.version}`, () => {
  test("1. a string token's text contains TfToken[, in its ${TfToken[...]} marker", () => {
    const token = Token.asString(lazy());
    const variable = new TerraformVariable(stack, "v", { type: "string" }).stringValue;
    for (const t of [token, variable]) {
      expect(t).toMatch(/^\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}$/);
      expect(isToken(t)).toBe(true);
      expect(holdsTokenMarker(`a-${t}-b`)).toBe(true);
      expect(mapTokenText(`a\${x}-${t}-b`, () => "<T>", (text) => text.toUpperCase())).toBe("A${X}-<T>-B");
    }
    expect(isToken("10.0.0.0/8")).toBe(false);
    expect(holdsTokenMarker("a${b}")).toBe(false);
  });

  test("2. a number token is a double above 1e200, and JSON writes it as d.ddde+ddd", () => {
    const tokens = [Token.asNumber(lazy(1)), new TerraformVariable(stack, "n", { type: "number" }).numberValue];
    for (const n of tokens) {
      expect(Math.abs(n)).toBeGreaterThan(1e200);
      expect(Token.isUnresolved(n)).toBe(true);
      expect(mayBeNumberToken(n) && isToken(n) && isTokenElement(n)).toBe(true);
      expect(JSON.stringify(n)).toMatch(/^-?\d(\.\d+)?e\+\d{3}$/);
    }
    // a literal that large is no token; an ordinary number is neither
    expect([isToken(1e201), isToken(-1e200), mayBeNumberToken(65535), isTokenElement(5432)]).toEqual([false, false, false, false]);
    // so a health check's JSON keeps its shape whatever numbers the tokens got
    const json = JSON.stringify({ port: tokens[0], path: Token.asString(lazy()), interval: 30 });
    expect(maskTokens(json, "<token>")).toBe('{"port":<token>,"path":"<token>","interval":30}');
  });

  test("3. a list token is one '#{TfToken[' element (a number list: one number token)", () => {
    const lists = [Token.asList(lazy([])), new TerraformVariable(stack, "l", { type: "list(string)" }).listValue];
    for (const list of lists) {
      expect(list).toHaveLength(1);
      expect(list[0]).toMatch(/^#\{TfToken\[[^\]]+\]\}$/);
      // Token.isUnresolved does not see the element: that is why isToken reads the text
      expect([Token.isUnresolved(list[0]), isToken(list[0]), isToken(list), isTokenObject(list)]).toEqual([false, true, true, true]);
    }
    const numbers = Token.asNumberList(lazy([]));
    expect(numbers).toHaveLength(1);
    expect(mayBeNumberToken(numbers[0]) && isTokenObject(numbers)).toBe(true);
    expect([isTokenObject(["a"]), isTokenObject([1]), isTokenObject([])]).toEqual([false, false, false]);
  });

  test("4. a map token has one '&{TfToken[' key", () => {
    for (const map of [Token.asStringMap(lazy({})), Token.asNumberMap(lazy({})), Token.asAnyMap(lazy({}))]) {
      expect(Object.keys(map)).toHaveLength(1);
      expect(Object.keys(map)[0]).toMatch(/^&\{TfToken\[[^\]]+\]\}$/);
      expect(isTokenObject(map) && isToken(map)).toBe(true);
    }
    expect([isTokenObject({ a: 1 }), isTokenObject(lazy())]).toEqual([false, true]);
  });

  test("5. an element is resolved twice per synthesis: preparing, then for the output", () => {
    const { stack: s, synth } = appStack();
    const passes: boolean[] = [];
    new TerraformLocal(s, "l", Lazy.anyValue({ produce: (context) => { passes.push(context.preparing); return 1; } }));
    synth();
    expect(passes).toEqual([true, false]);
  });

  test("6. a post-processor's value replaces the token's; a Resolved handed back is never walked again", () => {
    const { stack: s, synth } = appStack();
    const marker = Token.asString(lazy("RESOLVED"));
    // a plain value from a post-processor is walked again with the stack's JSON: its token resolves
    new TerraformLocal(s, "walked", Lazy.anyValue({ produce: (context) => { context.registerPostProcessor({ postProcess: () => ({ m: marker }) }); return {}; } }));
    // handed back through resolveAsIs (a Resolved), it is final: the marker stays as written
    new TerraformLocal(s, "final", Lazy.anyValue({ produce: (context) => resolveAsIs(context, { m: marker, n: 1 }, false) }));
    const locals = JSON.parse(synth()).locals;
    expect(locals.walked).toEqual({ m: "RESOLVED" });
    expect(locals.final).toEqual({ m: marker, n: 1 });
  });

  test("6. resolveWith resolves a token in a resolve context, and takes any Resolved out of the result", () => {
    const v = new TerraformVariable(stack, "v", { type: "string" });
    new TerraformLocal(stack, "l", Lazy.anyValue({ produce: (context) => resolveAsIs(context, resolveWith(context, { v: v.stringValue, r: [new Resolved("x")] }), false) }));
    expect(JSON.parse(Testing.synth(stack)).locals.l).toEqual({ v: "${var.v}", r: ["x"] });
  });

  describe("7. HCL output", () => {
    test("a stack writes HCL when SYNTH_HCL_OUTPUT is \"true\", and App.hclOutput says so", () => {
      const { stack: s, synth } = appStack(true);
      new TerraformLocal(s, "l", { a: 1 });
      expect(isHcl(s)).toBe(true);
      expect(synth()).toMatch(/^locals \{/m);
      expect(isHcl(stack)).toBe(false);
    });

    test("the renderer crashes on a null inside an object; ${null} renders", () => {
      const crash = appStack(true);
      new TerraformLocal(crash.stack, "l", { a: { b: null } });
      expect(() => crash.synth()).toThrow();
      const ok = appStack(true);
      new TerraformLocal(ok.stack, "l", { a: { b: nullValue(true) } });
      expect(ok.synth()).toContain('b = "${null}"');
      expect(nullValue(false)).toBeNull();
    });

    test("the renderer writes a resolvable left in the stack's JSON as its fields: resolveAsIs hands HCL the value itself", () => {
      const { stack: s, synth } = appStack(true);
      new TerraformLocal(s, "kept", Lazy.anyValue({ produce: (context) => { context.registerPostProcessor({ postProcess: () => new Resolved({ a: "x" }) }); return {}; } }));
      new TerraformLocal(s, "given", Lazy.anyValue({ produce: (context) => resolveAsIs(context, { a: "y" }, isHcl(s)) }));
      const hcl = synth();
      expect(hcl).toMatch(/kept = \{[\s\S]*?creationStack = \[/);
      expect(hcl).toMatch(/given = \{\s*a = "y"/);
    });

    test("the renderer writes lifecycle conditions as attributes: conditions() leaves them out there", () => {
      const { stack: s, synth } = appStack(true);
      const list = [{ condition: "${true}", errorMessage: "x" }];
      new TerraformResource(s, "r", { terraformResourceType: "terraform_data", lifecycle: { precondition: list } });
      expect(synth()).toMatch(/precondition = \[/);
      expect(conditions(s, list)).toBeUndefined();
      expect(conditions(stack, list)).toBe(list);
    });
  });

  test("8. an object with _getForEachExpression is a for_each iterator, and its expression is what Terraform gets", () => {
    const m = new TerraformLocal(stack, "m", { a: 1 });
    const each = forEachIterator(() => Token.asAny(expressionToken(terraformAddress(m))));
    new TerraformResource(stack, "r", { terraformResourceType: "terraform_data", forEach: each });
    new DnsARecordSet(stack, "d", { host: "example.com", forEach: each });
    new DnsProviderBlock(stack, "dns");
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.terraform_data.r.for_each).toBe("${local.m}");
    expect(json.data.dns_a_record_set.d.for_each).toBe("${local.m}");
    // the framework's own iterators have no iterator method the seam's lacks
    const methods = (o: object): string[] => {
      const names = new Set<string>();
      for (let p = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) Object.getOwnPropertyNames(p).forEach((n) => names.add(n));
      return [...names].filter((n) => n.startsWith("_getFor")).sort();
    };
    expect(methods(each)).toEqual(expect.arrayContaining(methods(TerraformIterator.fromList(["a"]))));
  });

  test("9. a resolvable among Fn's arguments is resolved with suppressBraces, a whole argument without", () => {
    const tags = new TerraformLocal(stack, "tags", { a: "b" });
    new TerraformOutput(stack, "whole", { value: expressionToken(terraformAddress(tags)) });
    new TerraformOutput(stack, "inside", { value: Fn.merge([Token.asAny(expressionToken(terraformAddress(tags))), { Name: "n" }]) });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.output.whole.value).toBe("${local.tags}");
    expect(json.output.inside.value).toBe('${merge(local.tags, {"Name" = "n"})}');
  });

  test("10. an element's address is <type>.<friendlyUniqueId>, data.<type>.<id>, local.<id>: cdktf's own references agree", () => {
    const r = new TerraformResource(stack, "r", { terraformResourceType: "terraform_data" });
    const d = new DnsARecordSet(stack, "d", { host: "example.com" });
    const l = new TerraformLocal(stack, "l", 1);
    new DnsProviderBlock(stack, "dns");
    new TerraformOutput(stack, "r_id", { value: r.getStringAttribute("id") });
    new TerraformOutput(stack, "d_host", { value: d.getStringAttribute("host") });
    new TerraformOutput(stack, "l_value", { value: l.asString });
    const json = JSON.parse(Testing.synth(stack));
    expect(terraformAddress(r, ".id")).toBe("terraform_data.r.id");
    expect(json.output.r_id.value).toBe(`\${${terraformAddress(r, ".id")}}`);
    expect(json.output.d_host.value).toBe(`\${${terraformAddress(d, ".host")}}`);
    expect(json.output.l_value.value).toBe(`\${${terraformAddress(l)}}`);
    expect(Object.keys(json.resource.terraform_data)).toEqual([r.friendlyUniqueId]);
    expect(Object.keys(json.data.dns_a_record_set)).toEqual([d.friendlyUniqueId]);
    expect(Object.keys(json.locals)).toEqual([l.friendlyUniqueId]);
  });

  test("11. an HCL attribute is { value, isBlock, type, storageClassType }, as the bindings write it", () => {
    const { stack: s, synth } = appStack(true);
    new DnsProviderBlock(s, "dns");
    new DnsARecordSet(s, "d", { host: "example.com" });
    expect(hclAttribute("example.com", "string")).toEqual({ value: "example.com", isBlock: false, type: "simple", storageClassType: "string" });
    expect(synth()).toMatch(/data "dns_a_record_set" "d" \{\s*host = "example.com"/);
  });

  test("12. a cross-stack reference is one token read once: a new token for the output pass points into the other stack", () => {
    const { stack: a, synth } = appStack();
    const b = new TerraformStack(a.node.scope!, "b");
    const r = new TerraformResource(a, "r", { terraformResourceType: "terraform_data" });
    const once = readOnce((res: TerraformResource) => res.getStringAttribute("id"));
    new TerraformLocal(b, "once", Lazy.anyValue({ produce: () => [once(r)] }));
    new TerraformLocal(b, "fresh", Lazy.anyValue({ produce: () => [r.getStringAttribute("id")] }));
    synth();
    const outdir = (a.node.scope as App).outdir;
    const locals = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "b", "cdk.tf.json"), "utf8")).locals;
    expect(locals.once[0]).toMatch(/^\$\{data\.terraform_remote_state\.[^}]+\}$/);
    expect(locals.fresh).toEqual(["${terraform_data.r.id}"]);
    expect(once(r)).toBe(once(r));
  });

  test("13. a block's key is its path below the stack less Default and repeated parts, each part [A-Za-z0-9_-], joined with _, then an 8-hex hash", () => {
    const inner = new Construct(new Construct(new Construct(stack, "Ncc-east"), "Default"), "Router.2");
    new TerraformLocal(inner, "settings", 1);
    const key = Object.keys(JSON.parse(Testing.synth(stack)).locals)[0];
    expect(logicalIdPrefix("Ncc-east/Default/Router.2")).toBe("Ncc-east_Router2");
    expect(logicalIdOf("Ncc-east_Router2", "settings").test(key)).toBe(true);
    expect(logicalIdOf(/(.+)/, "settings").exec(key)?.[1]).toBe("Ncc-east_Router2");
    expect(logicalIdParent(key, /set+ings/)).toBe("Ncc-east_Router2");
    // A part the previous one ends with is left out of the readable part (cdktf's removeDupes).
    new TerraformLocal(new Construct(new Construct(stack, "DbRouter"), "Router"), "x", 1);
    const dupes = Object.keys(JSON.parse(Testing.synth(stack)).locals).find((k) => !k.startsWith("Ncc"))!;
    expect(logicalIdPrefix("DbRouter/Router")).toBe("DbRouter");
    expect(logicalIdOf("DbRouter", "x").test(dupes)).toBe(true);
  });

  test("14. app.synth() writes each block's construct path, stack first, at \"//\".metadata.path", () => {
    const { stack: s, synth } = appStack();
    new TerraformResource(new Construct(s, "Router"), "Listener", { terraformResourceType: "terraform_data" });
    const [block] = Object.values<any>(JSON.parse(synth()).resource.terraform_data);
    expect(block["//"].metadata.path).toBe("s/Router/Listener");
    expect(constructPathOf(block)).toBe("Router/Listener");
  });

  test("15. a cross-stack reference reads data.terraform_remote_state.<id ending -<stack>>.outputs.<output>, path terraform.<stack>.tfstate", () => {
    const { stack: a, synth } = appStack();
    const b = new TerraformStack(a.node.scope!, "writer");
    const r = new TerraformResource(b, "r", { terraformResourceType: "terraform_data" });
    new TerraformLocal(a, "read", r.getStringAttribute("id"));
    synth();
    const config = JSON.parse(fs.readFileSync(path.join((a.node.scope as App).outdir, "stacks", "s", "cdk.tf.json"), "utf8"));
    const reference = remoteStateReference(config.locals.read);
    expect(reference).toBeDefined();
    const remoteConfig = config.data.terraform_remote_state[reference!.remote];
    expect(reference!.remote.endsWith("-writer")).toBe(true);
    expect(JSON.stringify(remoteConfig)).toContain("terraform.writer.tfstate");
    expect(readsStack(reference!.remote, remoteConfig, "writer")).toBe(true);
    expect(readsStack(reference!.remote, remoteConfig, "other")).toBe(false);
  });
});

test("this file runs in both jest projects, the second with cdktf mapped to cdktn", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { projects } = require("../../jest.config.js");
  const root = path.join(__dirname, "..", "..");
  const ignored = (p: any) => (p.testPathIgnorePatterns ?? []).some((re: string) => new RegExp(re.replace("<rootDir>", root)).test(__filename));
  expect(projects.map((p: any) => [p.displayName, ignored(p)])).toEqual([["cdktf", false], ["cdktn", false]]);
  const cdktn = projects[1].moduleNameMapper;
  expect(Object.entries(cdktn).find(([from]) => new RegExp(from).test("cdktf"))?.[1]).toBe("cdktn$1");
});

test("no other file in src/ names what only the seam may know", () => {
  const src = path.join(__dirname, "..", "..", "src");
  const seam = /TfToken|1e200|_getForEachExpression|_getForExpressionInput|registerPostProcessor|suppressBraces|storageClassType|hclOutput|Symbol\.for/;
  const offenders = (fs.readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && f !== path.join("core", "cdktf-seam.ts") && f !== path.join("core", "cdktf-output.ts"))
    .filter((f) => seam.test(fs.readFileSync(path.join(src, f), "utf8")));
  expect(offenders).toEqual([]);
});
