// `terraform test` sequences (command = apply, mock aws provider, stand-in dns and databricks):
// versions of a stack synthesized into subfolders of one Workspace, a `.tftest.hcl` generated
// from the synthesized addresses, and `terraform test` run and parsed (runs, diagnostics, and
// with -verbose the state after each apply and the plan of each plan run).
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { TerraformElement, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { DatabricksNcc, PrivateLinkRouter } from "../../../src";
import { defaultDns } from "./scenarios";
import { ctyTypeOf } from "./state";
import { Workspace } from "./terraform";

// ---------------------------------------------------------------------------------------------
// HCL text

/** A Terraform expression, written as is (a plain string is written as a quoted string). */
export interface Expr {
  readonly expr: string;
}
export const raw = (expr: string): Expr => ({ expr });
const isExpr = (v: unknown): v is Expr => typeof v === "object" && v !== null && typeof (v as Expr).expr === "string";

/** A quoted HCL string: JSON escapes, plus `${` and `%{` escaped so nothing is a template. */
export function hclString(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

/** An HCL value from JSON-like data; `Expr` values are written as expressions. */
export function hclValue(v: unknown, indent = ""): string {
  if (isExpr(v)) return v.expr;
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return hclString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => hclValue(x, indent)).join(", ")}]`;
  const inner = `${indent}  `;
  const entries = Object.entries(v as object).map(([k, x]) => `${inner}${hclString(k)} = ${hclValue(x, inner)}`);
  return entries.length === 0 ? "{}" : `{\n${entries.join("\n")}\n${indent}}`;
}

/** One `assert` block: a condition (HCL) and its message. */
export interface Assertion {
  readonly condition: string;
  readonly message: string;
}

/** A `run` block of a test file. */
export interface RunSpec {
  readonly name: string;
  /** @default apply */
  readonly command?: "apply" | "plan";
  /** `module { source = ... }` (a subfolder of the workspace, e.g. "./v2"). */
  readonly module?: string;
  readonly stateKey?: string;
  readonly variables?: { [name: string]: unknown };
  /** Checkable objects whose failure is expected (`check.<name>`, `output.<name>`, ...). */
  readonly expectFailures?: string[];
  /** Run-level `override_resource` blocks: address -> values. */
  readonly overrides?: { [address: string]: { [attr: string]: unknown } };
  readonly asserts?: Assertion[];
}

/** The text of a `run` block. */
export function runBlock(spec: RunSpec): string {
  const lines = [`run ${hclString(spec.name)} {`];
  if (spec.command) lines.push(`  command = ${spec.command}`);
  if (spec.stateKey) lines.push(`  state_key = ${hclString(spec.stateKey)}`);
  if (spec.module) lines.push("  module {", `    source = ${hclString(spec.module)}`, "  }");
  if (spec.variables) {
    // A block of attributes: bare names.
    lines.push("  variables {", ...Object.entries(spec.variables).map(([k, v]) => `    ${k} = ${hclValue(v, "    ")}`), "  }");
  }
  if (spec.expectFailures) lines.push(`  expect_failures = [${spec.expectFailures.join(", ")}]`);
  for (const [target, values] of Object.entries(spec.overrides ?? {})) lines.push(overrideBlock(target, values, "  "));
  for (const a of spec.asserts ?? []) {
    lines.push("  assert {", `    condition     = ${a.condition}`, `    error_message = ${hclString(a.message)}`, "  }");
  }
  lines.push("}");
  return lines.join("\n");
}

/** An `override_resource` block. */
export function overrideBlock(target: string, values: { [attr: string]: unknown }, indent = ""): string {
  return [`${indent}override_resource {`, `${indent}  target = ${target}`, `${indent}  values = ${hclValue(values, `${indent}  `)}`, `${indent}}`].join("\n");
}

// ---------------------------------------------------------------------------------------------
// The mock aws provider: well-formed values (the real provider's schema validates ARNs and ids)

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";

/** 17 lowercase hex characters derived from a seed (for vpce-svc ids and the like). */
export function hex17(seed: string): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, 17);
}

/** The id and service name an endpoint service gets from its address. */
export function serviceValues(address: string): { id: string; service_name: string } {
  const id = `vpce-svc-${hex17(address)}`;
  return { id, service_name: `com.amazonaws.vpce.${REGION}.${id}` };
}

/** An ARN of a load balancer or target group. */
export function elbArn(kind: "loadbalancer/net" | "targetgroup", name: string, seed: string): string {
  return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${kind}/${name}/${hex17(seed).slice(0, 16)}`;
}

/** What the mocked subnets read: every router subnet gets this block and zone. */
export const SUBNET = { cidr_block: "10.0.0.0/24", availability_zone: "us-east-1a" };

/**
 * `mock_provider "aws"` with defaults that pass the real provider's validation, and
 * file-level `override_resource` blocks (address -> values: a distinct service per shard,
 * a distinct ARN per load balancer and target group).
 */
export function mockAws(overrides: { [address: string]: { [attr: string]: unknown } }): string {
  const defaults: { [type: string]: object } = {
    aws_lb: { arn: elbArn("loadbalancer/net", "x", "lb") },
    aws_lb_target_group: { arn: elbArn("targetgroup", "x", "tg") },
    aws_security_group: { id: "sg-0123456789abcdef0" },
    aws_vpc_endpoint_service: serviceValues("default"),
  };
  return [
    `mock_provider "aws" {`,
    ...Object.entries(defaults).map(([type, values]) => `  mock_resource ${hclString(type)} {\n    defaults = ${hclValue(values, "    ")}\n  }`),
    `  mock_data "aws_subnet" {\n    defaults = ${hclValue(SUBNET, "    ")}\n  }`,
    "}",
    ...Object.entries(overrides).map(([target, values]) => overrideBlock(target, values)),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Addresses of what the library made

/** `<type>.<name>` of a resource construct. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** The child `id` of `scope` (a resource), or an error naming what is there. */
function child<T extends IConstruct>(scope: IConstruct, id: string): T {
  const found = scope.node.tryFindChild(id);
  if (!found) throw new Error(`${scope.node.path} has no child ${id} (children: ${scope.node.children.map((c) => c.node.id).join(", ")})`);
  return found as T;
}

/** The Terraform addresses of one router connected to one NCC. */
export interface ConnectionAddresses {
  /** Per shard, in shard order. */
  readonly services: string[];
  readonly loadBalancers: string[];
  /** Per shard: its security group. */
  readonly securityGroups: string[];
  readonly rules: string[];
  /** The for_each resources. */
  readonly accepter: string;
  readonly listener: string;
  readonly targetGroup: string;
  readonly bindings?: string;
  readonly ncc?: string;
  /** The id of an existing NCC (literal), when the NCC is not made here. */
  readonly existingNccId?: string;
  /** `check.<name>` of the "rules that point elsewhere" check. */
  readonly check: string;
  /** Target name -> domain names of its shard's rule, listener port, shard. */
  readonly routes: { [name: string]: { host?: string; listenerPort: number; shard: number } };
  /** Rule domain names, per shard. */
  readonly domains: string[][];
}

/** Addresses of the resources `ncc.addRouter(router)` and the router made. */
export function connectionAddresses(router: PrivateLinkRouter, ncc: DatabricksNcc): ConnectionAddresses {
  const id = router.node.id;
  const named = child<TerraformElement>(ncc, `${id}_rules`);
  const binding = ncc.node.tryFindChild("Binding") as TerraformResource | undefined;
  const config = ncc.node.tryFindChild("Config") as TerraformResource | undefined;
  return {
    services: router.shards.map((s) => addressOf(s.endpointService)),
    loadBalancers: router.shards.map((s) => addressOf(s.loadBalancer)),
    securityGroups: router.shards.map((s) => addressOf(s.securityGroup)),
    rules: ncc.rules.filter((r) => r.node.id.startsWith(`${id}Shard`)).map(addressOf),
    accepter: addressOf(child(ncc, `${id}Accept`)),
    listener: addressOf(child(router, "Listener")),
    targetGroup: addressOf(child(router, "TargetGroup")),
    bindings: binding ? addressOf(binding) : undefined,
    ncc: config ? addressOf(config) : undefined,
    existingNccId: config ? undefined : ncc.networkConnectivityConfigId,
    check: `check.${named.friendlyUniqueId}_point_at_router`,
    routes: Object.fromEntries(router.routes.map((r) => [r.name, { host: r.host, listenerPort: r.listenerPort, shard: r.shard }])),
    domains: ncc.rules.filter((r) => r.node.id.startsWith(`${id}Shard`)).map((r) => r.domainNamesInput ?? []),
  };
}

/**
 * The overrides that give each shard's endpoint service a distinct id and service name, each
 * load balancer its own ARN, and each target group instance its own ARN (keyed by target name).
 */
export function connectionOverrides(a: ConnectionAddresses): { [address: string]: { [attr: string]: unknown } } {
  const out: { [address: string]: { [attr: string]: unknown } } = {};
  a.services.forEach((s) => (out[s] = serviceValues(s)));
  a.loadBalancers.forEach((lb, i) => (out[lb] = { arn: elbArn("loadbalancer/net", `shard${i}`, lb) }));
  for (const name of Object.keys(a.routes)) {
    out[`${a.targetGroup}[${hclString(name)}]`] = { arn: elbArn("targetgroup", name, `${a.targetGroup}/${name}`) };
  }
  return out;
}

/**
 * Outputs the sequences compare across runs (added to the synthesized JSON): the NCC id, and
 * per for_each resource a map of instance key -> `id` (the mock gives a new random id to every
 * created object, so an unchanged id means "not replaced").
 */
export function addComparisonOutputs(config: any, a: ConnectionAddresses): void {
  const ids = (address: string, attr = "id") => `\${{ for k, r in ${address} : k => r.${attr} }}`;
  config.output = {
    ...config.output,
    // The NCC made here, or the literal id of an existing one.
    ncc_id: { value: a.ncc ? `\${${a.ncc}.network_connectivity_config_id}` : a.existingNccId },
    accepter_ids: { value: ids(a.accepter) },
    listener_ids: { value: ids(a.listener) },
    target_group_ids: { value: ids(a.targetGroup) },
    target_group_names: { value: ids(a.targetGroup, "name") },
    rule_ids: { value: `\${[${a.rules.map((r) => `${r}.rule_id`).join(", ")}]}` },
  };
}

// ---------------------------------------------------------------------------------------------
// Running terraform test

/** One run's result. */
export interface RunResult {
  readonly name: string;
  readonly file: string;
  readonly status: string;
  /** Error and warning diagnostics of the run (summary + detail). */
  readonly diagnostics: { severity: string; summary: string; detail: string }[];
  /** With -json -verbose: the state after an apply run (without provider schemas). */
  readonly state?: any;
  /** With -json -verbose: the plan of a plan run (without provider schemas). */
  readonly plan?: any;
}

/** The result of one `terraform test`. */
export interface TestResult {
  readonly status: number;
  readonly seconds: number;
  /** pass | fail | error, from the summary. */
  readonly summary: { status: string; passed: number; failed: number; errored: number; skipped: number };
  readonly runs: { [name: string]: RunResult };
  /** Diagnostics outside any run (teardown errors, "left in state" lists ...). */
  readonly otherDiagnostics: { severity: string; summary: string; detail: string }[];
  /** Resources terraform test could not destroy, per file/run. */
  readonly leftInState: string[];
  /** The human-readable output (without -json), or the messages joined (with -json). */
  readonly text: string;
  /** With `log`: the Terraform debug log. */
  readonly log?: string;
}

/** Options of `Sequence.test`. */
export interface TestOptions {
  /** -json (parse runs, diagnostics, states and plans from the machine-readable output). */
  readonly json?: boolean;
  /** -verbose: with -json, the state of every apply run and the plan of every plan run. */
  readonly verbose?: boolean;
  /** Keep a debug log (TF_LOG=debug into a file) for the order of apply operations. */
  readonly log?: boolean;
  readonly filter?: string[];
}

/** Versions of a stack and helper modules in one Workspace, and the test files that drive them. */
export class Sequence {
  public readonly ws: Workspace;
  private readonly dns: { [host: string]: string[] } = {};

  constructor(name: string) {
    this.ws = new Workspace(name);
  }

  public get dir(): string {
    return this.ws.dir;
  }

  /** Writes a synthesized stack into `into` ("" for the workspace root) and adds its hosts to the DNS answers. */
  public writeVersion(into: string, config: any): void {
    this.ws.writeStack(config, { ...(into ? { into } : {}), readSubnets: true });
    Object.assign(this.dns, defaultDns(config));
    this.ws.setDns(this.dns);
  }

  /** Writes a plain Terraform module (file name -> text) into a subfolder. */
  public writeModule(into: string, files: { [name: string]: string }): void {
    const dir = path.join(this.dir, into);
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  }

  /** Pre-writes the stand-in Databricks account (see standin/databricks.js). */
  public writeAccount(account: object): void {
    fs.writeFileSync(this.ws.accountFile, JSON.stringify(account, null, 2));
  }

  public readAccount(): any {
    return fs.existsSync(this.ws.accountFile) ? JSON.parse(fs.readFileSync(this.ws.accountFile, "utf8")) : {};
  }

  /** Writes a test file (blocks joined by blank lines) into the workspace root. */
  public writeTest(file: string, blocks: string[]): string {
    const text = `# Generated by test/terraform/harness/sequence.ts\n\n${blocks.join("\n\n")}\n`;
    fs.writeFileSync(path.join(this.dir, file), text);
    return text;
  }

  /** `terraform init` (after the test files are written: it installs their `module` sources). */
  public init(): void {
    this.ws.init();
  }

  /** Runs `terraform test -no-color` and parses what it printed. Never throws on a failed test. */
  public test(options: TestOptions = {}): TestResult {
    const args = ["test", "-no-color", ...(options.json ? ["-json"] : []), ...(options.verbose ? ["-verbose"] : []),
      ...(options.filter ?? []).map((f) => `-filter=${f}`)];
    const logFile = path.join(this.dir, "terraform-test.log");
    const saved = { TF_LOG: process.env.TF_LOG, TF_LOG_PATH: process.env.TF_LOG_PATH };
    if (options.log) {
      fs.rmSync(logFile, { force: true });
      process.env.TF_LOG = "debug";
      process.env.TF_LOG_PATH = logFile;
    }
    let run;
    try {
      run = this.ws.terraform(args, { allowFailure: true });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const parsed = options.json ? parseJsonTest(run.stdout) : parseHumanTest(run.stdout + run.stderr);
    return {
      status: run.status,
      seconds: run.seconds,
      ...parsed,
      ...(options.log && fs.existsSync(logFile) ? { log: fs.readFileSync(logFile, "utf8") } : {}),
    };
  }
}

type Diagnostic = { severity: string; summary: string; detail: string };
type Parsed = Omit<TestResult, "status" | "seconds" | "log">;

/** Parses `terraform test -json` output (one JSON message per line). */
export function parseJsonTest(stdout: string): Parsed {
  const runs: { [name: string]: { name: string; file: string; status: string; diagnostics: Diagnostic[]; state?: any; plan?: any } } = {};
  const other: Diagnostic[] = [];
  const left: string[] = [];
  const text: string[] = [];
  let summary = { status: "unknown", passed: 0, failed: 0, errored: 0, skipped: 0 };
  const runOf = (m: any) => {
    const name = m["@testrun"];
    if (!runs[name]) runs[name] = { name, file: m["@testfile"], status: "unknown", diagnostics: [] };
    return runs[name];
  };
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const m = JSON.parse(line);
    // The provider schemas (~14 MB for aws) ride along with every state and plan: drop them.
    for (const k of ["test_state", "test_plan"]) if (m[k]) delete m[k].provider_schemas;
    text.push(m["@message"]);
    if (m.type === "test_run" && m.test_run.progress === "complete") runOf(m).status = m.test_run.status;
    else if (m.type === "test_state") runOf(m).state = m.test_state;
    else if (m.type === "test_plan") runOf(m).plan = m.test_plan;
    else if (m.type === "test_summary") summary = m.test_summary;
    else if (m.type === "test_cleanup") left.push(...(m.test_cleanup.failed_resources ?? []).map((r: any) => `${m["@testfile"]}: ${r.instance}`));
    else if (m.type === "diagnostic") {
      const d = { severity: m.diagnostic.severity, summary: m.diagnostic.summary, detail: m.diagnostic.detail ?? "" };
      text.push(d.detail);
      if (m["@testrun"]) runOf(m).diagnostics.push(d);
      else other.push(d);
    }
  }
  return { summary, runs, otherDiagnostics: other, leftInState: left, text: text.join("\n") };
}

/** Parses the human-readable output: run statuses, the summary and the "left in state" list. */
export function parseHumanTest(out: string): Parsed {
  const runs: { [name: string]: RunResult } = {};
  for (const m of out.matchAll(/^\s+run "([^"]+)"\.\.\. (pass|fail|skip|error)$/gm)) {
    runs[m[1]] = { name: m[1], file: "", status: m[2], diagnostics: [] };
  }
  const s = /(Success|Failure)! (\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(out);
  const summary = s
    ? { status: s[1] === "Success" ? "pass" : "fail", passed: Number(s[2]), failed: Number(s[3]), errored: 0, skipped: Number(s[4] ?? 0) }
    : { status: "error", passed: 0, failed: 0, errored: 0, skipped: 0 };
  const left = [...out.matchAll(/need to be cleaned up manually:\n((?:\s+- .*\n?)+)/g)].flatMap((m) => m[1].trim().split("\n").map((l) => l.replace(/^\s*- /, "")));
  const errors = [...out.matchAll(/^Error: (.*)$/gm)].map((m) => ({ severity: "error", summary: m[1], detail: "" }));
  return { summary, runs, otherDiagnostics: errors, leftInState: left, text: out };
}

// ---------------------------------------------------------------------------------------------
// Reading results

/** Resource instances of a state (root module), by address. */
export function stateResources(state: any): { [address: string]: any } {
  const out: { [address: string]: any } = {};
  for (const r of state?.root_module?.resources ?? []) out[r.address] = r;
  return out;
}

/** Every resource change of a plan that is not a no-op (reads of data sources excluded). */
export function changes(plan: any): { address: string; actions: string[] }[] {
  return (plan?.resource_changes ?? [])
    .filter((c: any) => c.mode !== "data" && c.change.actions.join(",") !== "no-op")
    .map((c: any) => ({ address: c.address, actions: c.change.actions }));
}

/** The apply operations of a debug log, in the order Terraform started them. */
export function appliedChanges(log: string): { address: string; action: string }[] {
  return [...log.matchAll(/\[DEBUG\] (.+?): applying the planned (\w+) change/g)].map((m) => ({ address: m[1], action: m[2] }));
}

/** What a mocked provider makes up for a computed attribute: 8 random characters. */
const MOCKED = /^[a-z0-9]{8}$/;

/**
 * A mocked object's values as the real provider would have stored them, as far as a plan cares:
 * made-up strings nested in blocks (e.g. a TCP health check's `path` and `matcher`, which the
 * real provider rejects for TCP) become null, `tags_all` becomes `tags`; `id` and `arn` stay.
 */
export function unmock(values: any): any {
  const clean = (v: any, top: boolean): any => {
    if (Array.isArray(v)) return v.map((x) => clean(x, false));
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, top && (k === "id" || k === "arn") ? x : clean(x, false)]));
    }
    return typeof v === "string" && MOCKED.test(v) ? null : v;
  };
  const out = clean(values, true);
  if ("tags_all" in out && out.tags) out.tags_all = out.tags;
  return out;
}

/** terraform_data's attributes but `id` are dynamically typed: the state stores each value with its type. */
function typedDynamic(values: any): any {
  return Object.fromEntries(Object.entries<any>(values).map(([k, v]) => [k, k === "id" || v === null ? v : { value: v, type: ctyTypeOf(v) }]));
}

/**
 * A Terraform state file (format 4) holding the managed resources of a -verbose test state, so a
 * plain `terraform plan` with the real providers can start from where a test run ended (aws
 * objects passed through `unmock`).
 */
export function stateFile(state: any): object {
  const groups = new Map<string, any>();
  for (const r of state?.root_module?.resources ?? []) {
    if (r.mode !== "managed") continue;
    const key = `${r.type}.${r.name}`;
    if (!groups.has(key)) {
      groups.set(key, { mode: "managed", type: r.type, name: r.name, provider: `provider["${r.provider_name}"]`, instances: [] });
    }
    groups.get(key).instances.push({
      ...(r.index !== undefined ? { index_key: r.index } : {}),
      schema_version: r.schema_version ?? 0,
      attributes: r.type.startsWith("aws_") ? unmock(r.values) : r.type === "terraform_data" ? typedDynamic(r.values) : r.values,
      sensitive_attributes: [],
      dependencies: r.depends_on ?? [],
    });
  }
  return { version: 4, terraform_version: "1.11.4", serial: 1, lineage: "00000000-0000-4000-8000-000000000000", outputs: {}, resources: [...groups.values()] };
}

/** The stand-in Databricks account that the databricks resources of a test state describe. */
export function accountFromState(state: any): object {
  const resources = (state?.root_module?.resources ?? []).filter((r: any) => r.mode === "managed");
  const nccs: { [id: string]: any } = {};
  for (const r of resources.filter((x: any) => x.type === "databricks_mws_network_connectivity_config")) {
    const v = r.values;
    nccs[v.network_connectivity_config_id] =
      { name: v.name, region: v.region, account_id: v.account_id, network_connectivity_config_id: v.network_connectivity_config_id, rules:
        {} };
  }
  for (const r of resources.filter((x: any) => x.type === "databricks_mws_ncc_private_endpoint_rule")) {
    const v = r.values;
    const ncc = nccs[v.network_connectivity_config_id] ??= { name: `ncc-${v.network_connectivity_config_id.slice(0, 8)}`, region: REGION, rules: {} };
    ncc.rules[v.rule_id] = {
      rule_id: v.rule_id, network_connectivity_config_id: v.network_connectivity_config_id, account_id: v.account_id ?? null,
      endpoint_service: v.endpoint_service, domain_names: v.domain_names, vpc_endpoint_id: v.vpc_endpoint_id, connection_state:
        v.connection_state,
      enabled: v.enabled ?? true,
    };
  }
  const bindings = Object.fromEntries(resources.filter((x: any) => x.type === "databricks_mws_ncc_binding")
    .map((r: any) => [String(r.values.workspace_id), r.values.network_connectivity_config_id]));
  return { nccs, bindings };
}
