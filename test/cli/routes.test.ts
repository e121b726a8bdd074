// `privatelink-router routes` on every harness scenario: its JSON agrees with router.routes and
// ncc.connections, every format renders, and the Mermaid output parses with mermaid's parser.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { run } from "../../src/cli/main";
import { DatabricksNcc, PrivateLinkRouter } from "../../src";
import { scenarios, stackWithProviders, SUBNETS, synth, synthToDir, VPC } from "../terraform/harness/scenarios";

const PARSER = path.join(__dirname, "parse-mermaid.mjs");

/** Runs the CLI in-process; returns its exit code and output. */
async function cli(argv: string[], cwd = process.cwd()) {
  let out = "";
  let err = "";
  const code = await run(argv, { cwd, out: (t) => (out += t), err: (t) => (err += t), env: process.env });
  return { code, out, err };
}

function parseMermaid(text: string): string {
  const r = spawnSync(process.execPath, [PARSER], { input: text, encoding: "utf8" });
  return (r.stdout || r.stderr).trim();
}

/** A scenario's config written to a stack folder, and the stacks it synthesized (to read their constructs). */
function synthesizeScenario(s: ReturnType<typeof scenarios>[number]): { dir: string; stacks: TerraformStack[] } {
  const stacks: TerraformStack[] = [];
  const realSynth = Testing.synth;
  const synthSpy = jest.spyOn(Testing, "synth").mockImplementation((stack: TerraformStack, v?: boolean) => {
    stacks.push(stack);
    return realSynth.call(Testing, stack, v);
  });
  const realApp = App.prototype.synth;
  const appSpy = jest.spyOn(App.prototype, "synth").mockImplementation(function (this: App) {
    stacks.push(...this.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack));
    return realApp.call(this);
  });
  try {
    const config = s.config();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `routes-${s.name}-`));
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(config));
    return { dir, stacks };
  } finally {
    synthSpy.mockRestore();
    appSpy.mockRestore();
  }
}

const ALL = scenarios();

test.each(ALL.map((s) => [s.name, s]))("routes on scenario %s agrees with router.routes and ncc.connections", async (_, s) => {
  const { dir, stacks } = synthesizeScenario(s);
  const json = await cli(["routes", "--stack", dir, "--format", "json"]);
  expect(json.err).toBe("");
  expect(json.code).toBe(0);
  const routes: any[] = JSON.parse(json.out);
  const constructs = stacks.flatMap((st) => st.node.findAll());
  const routers = constructs.filter((c): c is PrivateLinkRouter => c instanceof PrivateLinkRouter);
  const nccs = constructs.filter((c): c is DatabricksNcc => c instanceof DatabricksNcc);
  expect(routers.length).toBeGreaterThan(0);
  const token = (v: unknown) => typeof v === "string" && v.includes("${");
  let compared = 0;
  for (const router of routers) {
    for (const want of router.routes) {
      const got = routes.find((r) => r.router === router.node.path.split("/").slice(1).join("/") && r.name === want.name);
      expect(got).toBeDefined();
      expect(got.listenerPort).toBe(want.listenerPort);
      expect(got.shard).toBe(want.shard);
      expect(got.targetPort).toBe(want.targetPort);
      expect(got.admit).toEqual(want.admit.map((a) => (token(a) ? expect.stringMatching(/^\(from .+ at apply\)$/) : a)));
      if (want.host !== undefined && !token(want.host)) expect(got.host).toBe(want.host);
      if (want.host !== undefined && token(want.host)) expect(got.host).toMatch(/^\(from var\.\w+ at apply\)$/);
      if (want.ips) expect(got.ips).toEqual(want.ips);
      const connected = nccs.some((n) => n.connections.some((c) => c.name === want.name && c.shard === want.shard));
      if (!connected && want.domainName !== undefined && !token(want.domainName)) expect(got.domainName).toBe(want.domainName);
      compared++;
    }
  }
  expect(routes.length).toBe(compared);
  for (const ncc of nccs) {
    for (const c of ncc.connections) {
      const got = routes.find((r) => r.rule && r.name === c.name && r.shard === c.shard);
      expect(got).toBeDefined();
      if (!token(c.domainName)) {
        expect(got.domainName).toBe(c.domainName);
        expect(got.address).toBe(c.address);
      }
      if (!token(c.database)) expect(got.database).toBe(c.database);
      expect(got.listenerPort).toBe(c.port);
      expect(got.admit).toEqual(c.admit.map((a) => (token(a) ? expect.stringMatching(/^\(from .+ at apply\)$/) : a)));
    }
  }
  for (const format of ["table", "markdown"]) {
    const r = await cli(["routes", "--stack", dir, "--format", format]);
    expect(r.code).toBe(0);
    for (const route of routes) expect(r.out).toContain(route.name);
    expect(r.out).not.toMatch(/undefined|\[object Object\]|NaN/);
  }
  const mermaid = await cli(["routes", "--stack", dir, "--format", "mermaid"]);
  expect(parseMermaid(mermaid.out)).toBe("ok flowchart-v2");
});

test("a token host shows as unresolved, never garbage", async () => {
  const { dir } = synthesizeScenario(ALL.find((s) => s.name === "tokens")!);
  const table = await cli(["routes", "--stack", dir]);
  expect(table.out).toContain("(from var.host at apply)");
  expect(table.out).not.toContain("${");
});

test.each([["app.synth (construct paths in metadata)", true], ["Testing.synth (logical ids only)", false]])(
  "ids with hyphens, dots and a Default level: %s still finds each route's NCC rule, its workspaces and the router's subnets", async (_, metadata) => {
    const { stack, databricks } = stackWithProviders("team-a");
    const team = new Construct(new Construct(stack, "Team-east"), "Default");
    const router = new PrivateLinkRouter(team, "Router-db.1", {
      vpcId: VPC, subnetIds: SUBNETS, targets: [{ name: "orders", host: "orders.example.internal", port: 5432 }],
    });
    new DatabricksNcc(team, "Ncc-east.1", { region: "us-east-1", routers: [router], workspaceIds: [1234567890123456], provider: databricks });
    let dir = synthToDir(stack);
    if (!metadata) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "routes-ids-"));
      fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(synth(stack)));
    }
    const r = await cli(["routes", "--stack", dir, "--format", "json"]);
    expect(r.err).toBe("");
    const [route] = JSON.parse(r.out);
    expect(route.rule).toEqual(expect.objectContaining({ domainNames: ["orders.example.internal"], workspaces: ["1234567890123456"] }));
    expect(route.domainName).toBe("orders.example.internal");
    expect(route.admitFrom).toEqual(SUBNETS);
  });

test("--against shows routes added, removed and re-ported", async () => {
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "routes-before-"));
  const after = fs.mkdtempSync(path.join(os.tmpdir(), "routes-after-"));
  const example = JSON.parse(fs.readFileSync(path.join(synthesizeScenario(ALL[0]).dir, "cdk.tf.json"), "utf8"));
  fs.writeFileSync(path.join(before, "cdk.tf.json"), JSON.stringify(example));
  const key = Object.keys(example.locals).find((k) => /^Router_targets_/.test(k))!;
  const targets = example.locals[key];
  delete targets.billing;
  targets.orders.listener_port = 10007;
  targets.ledger = { ...targets.warehouse, host: "ledger.internal.example.com", listener_port: 10004 };
  fs.writeFileSync(path.join(after, "cdk.tf.json"), JSON.stringify(example));
  const r = await cli(["routes", "--stack", after, "--against", before]);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/added\s+Router\s+ledger/);
  expect(r.out).toMatch(/removed\s+Router\s+billing/);
  expect(r.out).toMatch(/re-ported\s+Router\s+orders .*port 10000 -> 10007/);
  expect(r.out).toContain("1 added, 1 removed, 1 re-ported, 2 unchanged");
  const json = JSON.parse((await cli(["routes", "--stack", after, "--against", before, "--format", "json"])).out);
  expect(json.changes.map((c: any) => `${c.change} ${c.name}`).sort()).toEqual(["added ledger", "re-ported orders", "removed billing"]);
  expect((await cli(["routes", "--stack", before, "--against", before])).out).toBe("no route changes (4 routes unchanged)\n");
  expect((await cli(["routes", "--stack", after, "--against", before, "--format", "markdown"])).out).toContain("| re-ported | Router | orders |");
});

test("a diagram of 120 databases groups them by shard and parses", async () => {
  const { dir } = synthesizeScenario(ALL.find((s) => s.name === "example-many-databases")!);
  const r = await cli(["routes", "--stack", dir, "--format", "mermaid"]);
  expect(r.out.match(/^\s+subgraph /gm)!.length).toBe(12);
  expect(parseMermaid(r.out)).toBe("ok flowchart-v2");
  expect(parseMermaid("flowchart LR\n  a[\"x\" --> ")).toMatch(/^error /);
});

test.each([
  [["routes", "--format", "yaml"], /--format yaml is not a format of routes: use table, json, markdown, mermaid/],
  [["routes", "--stack"], /--stack needs a value/],
  [["routes", "--state", "x"], /--state is not an option of routes/],
  [["deploy"], /unknown command "deploy"/],
  [["routes", "--stack", "/nonexistent/stack"], /cdk.tf.json does not exist: --stack takes a synthesized stack folder/],
  [["routes", "--against", "x", "--format", "mermaid"], /--against compares routes as a table/],
  [["status"], /status needs --state/],
  [["status", "--state", "x.tfstate"], /no synthesized stacks/],
])("usage error %j exits 2 with the fix", async (argv, message) => {
  const r = await cli(argv as string[], os.tmpdir());
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
});

test("no cdktf.out in the folder: a usage error that says to synthesize", async () => {
  const r = await cli(["routes"], fs.mkdtempSync(path.join(os.tmpdir(), "routes-empty-")));
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/run `cdktf synth`/);
});
