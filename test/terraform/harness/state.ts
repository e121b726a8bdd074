// Writes a Terraform state for a planned stack, as if its first plan had been applied: the plan's
// known values, and a well-formed fake for every value only AWS (or Databricks) would know (ARNs,
// ids, service names...). Then re-plans against that state, copies what the plan now knows back
// into it, until a re-plan shows no change: the proof that the state is what an apply would
// have written. Day-2 edits can then be planned against it with the real providers, which alone
// decide what is replaced (their ForceNew rules), updated in place or destroyed.
import { createHash, randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Workspace } from "./terraform";

/** The fake AWS account and region of every fake ARN. */
export const FAKE_ACCOUNT = "111122223333";
export const FAKE_REGION = "us-east-1";

/** One resource instance of a v4 state. */
export interface StateInstance {
  index_key?: string | number;
  schema_version: number;
  attributes: { [name: string]: any };
  sensitive_attributes: any[];
  dependencies?: string[];
  create_before_destroy?: boolean;
}

/** One resource of a v4 state. */
export interface StateResource {
  mode: "managed";
  type: string;
  name: string;
  each?: "map" | "list";
  provider: string;
  instances: StateInstance[];
}

/** A Terraform state file, format version 4. */
export interface TerraformState {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: { [name: string]: { value: any; type: any; sensitive?: boolean } };
  resources: StateResource[];
  check_results: null;
}

/** What `converge` did. */
export interface Converged {
  /** The state written last (the one the no-op plan ran against). */
  readonly state: TerraformState;
  /** Re-plans run (the last one is the no-op proof). */
  readonly rounds: number;
  /** `terraform show -json` of the last re-plan: every resource change is a no-op. */
  readonly noopPlan: any;
  /** Seconds spent in terraform (schema + plans). */
  readonly seconds: number;
}

const STATE_FILE = "terraform.tfstate";

/** The state file of a workspace, or undefined. */
export function readState(ws: Workspace): TerraformState | undefined {
  const file = path.join(ws.dir, STATE_FILE);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
}

/** Writes a state into a workspace (serial bumped when one exists; lineage kept). */
export function writeState(ws: Workspace, state: TerraformState): void {
  const previous = readState(ws);
  const out: TerraformState =
    { ...state, serial: previous ? previous.serial + 1 : state.serial, lineage: previous?.lineage ?? state.lineage };
  fs.writeFileSync(path.join(ws.dir, STATE_FILE), JSON.stringify(out, null, 2) + "\n");
}

// ---------------------------------------------------------------- provider schemas

/** Per provider (full name), per resource type: its schema version and block. */
type Schemas = { [provider: string]: { [type: string]: { version: number; block: any } } };
const schemaCache = new Map<string, Schemas>();

/** `terraform providers schema -json` of a workspace's providers (cached per lock file content). */
export function providerSchemas(ws: Workspace): Schemas {
  const lock = path.join(ws.dir, ".terraform.lock.hcl");
  const key = fs.existsSync(lock) ? fs.readFileSync(lock, "utf8") : ws.dir;
  if (!schemaCache.has(key)) {
    const raw = JSON.parse(ws.terraform(["providers", "schema", "-json"]).stdout);
    const out: Schemas = {};
    for (const [name, p] of Object.entries<any>(raw.provider_schemas ?? {})) {
      out[name] = {};
      for (const [type, s] of Object.entries<any>(p.resource_schemas ?? {})) out[name][type] = { version: s.version ?? 0, block: s.block };
    }
    schemaCache.set(key, out);
  }
  return schemaCache.get(key)!;
}

// ---------------------------------------------------------------- fakes

const hex = (n: number, ...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, n);
const uuidOf = (...parts: string[]) => {
  const h = hex(32, ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** What a fake value may depend on: the instance's address and type, and its known values. */
interface FakeContext {
  readonly address: string;
  readonly type: string;
  readonly known: { [name: string]: any };
}

/** Realistic AWS defaults of computed attributes (what AWS returns for an NLB's resources). */
const DEFAULTS: { [type: string]: { [attr: string]: any } } = {
  aws_lb_target_group: {
    ip_address_type: "ipv4", load_balancing_algorithm_type: "round_robin", load_balancing_anomaly_mitigation: "off",
    load_balancing_cross_zone_enabled: "use_load_balancer_configuration", preserve_client_ip: "false", protocol_version: "",
    connection_termination: false, "health_check.matcher": "", "health_check.path": "",
  },
  aws_lb_listener: { ssl_policy: "", mutual_authentication: [] },
  aws_vpc_endpoint_service: { service_type: "Interface", state: "Available", manages_vpc_endpoints: false, private_dns_name: "" },
  aws_lb: { zone_id: "Z26RNL4JYFTOTI" },
};

/** Prefixes of EC2 ids, per resource type. */
const ID_PREFIX: { [type: string]: string } = {
  aws_security_group: "sg-",
  aws_vpc_endpoint_service: "vpce-svc-",
  aws_vpc_security_group_egress_rule: "sgr-",
  aws_vpc_security_group_ingress_rule: "sgr-",
  aws_security_group_rule: "sgr-",
  aws_vpc_endpoint: "vpce-",
};

/** A resource's own identity: its id and ARN, derived from its address (and name, when known). */
function identity(ctx: FakeContext): { id: string; arn: string; suffix?: string } {
  const h16 = hex(16, "id", ctx.address);
  const h17 = hex(17, "id", ctx.address);
  const name = typeof ctx.known.name === "string" ? ctx.known.name : `fake-${hex(6, ctx.address)}`;
  const elb = `arn:aws:elasticloadbalancing:${FAKE_REGION}:${FAKE_ACCOUNT}`;
  switch (ctx.type) {
    case "aws_lb": {
      const suffix = `${ctx.known.load_balancer_type === "application" ? "app" : "net"}/${name}/${h16}`;
      return { id: `${elb}:loadbalancer/${suffix}`, arn: `${elb}:loadbalancer/${suffix}`, suffix };
    }
    case "aws_lb_target_group":
      return { id: `${elb}:targetgroup/${name}/${h16}`, arn: `${elb}:targetgroup/${name}/${h16}`, suffix: `targetgroup/${name}/${h16}` };
    case "aws_lb_listener": {
      const lb = typeof ctx.known.load_balancer_arn === "string" ? ctx.known.load_balancer_arn.split(":loadbalancer/")[1] : undefined;
      const arn = `${elb}:listener/${lb ?? `net/fake-lb/${hex(16, "lb", ctx.address)}`}/${h16}`;
      return { id: arn, arn };
    }
    case "aws_lb_target_group_attachment":
      return { id: `${ctx.known.target_group_arn ?? `${elb}:targetgroup/fake/${h16}`}-${parseInt(h16.slice(0, 12), 16)}`, arn: "" };
    case "aws_vpc_endpoint_connection_accepter":
      return { id: `${ctx.known.vpc_endpoint_service_id ?? `vpce-svc-${h17}`}_${ctx.known.vpc_endpoint_id ?? `vpce-${h17}`}`, arn: "" };
    case "aws_security_group":
      return { id: `sg-${h17}`, arn: `arn:aws:ec2:${FAKE_REGION}:${FAKE_ACCOUNT}:security-group/sg-${h17}` };
    case "aws_vpc_endpoint_service":
      return { id: `vpce-svc-${h17}`, arn: `arn:aws:ec2:${FAKE_REGION}:${FAKE_ACCOUNT}:vpc-endpoint-service/vpce-svc-${h17}` };
    case "aws_vpc_security_group_egress_rule":
    case "aws_vpc_security_group_ingress_rule":
      return { id: `sgr-${h17}`, arn: `arn:aws:ec2:${FAKE_REGION}:${FAKE_ACCOUNT}:security-group-rule/sgr-${h17}` };
    case "databricks_mws_network_connectivity_config":
      return { id: `${ctx.known.account_id ?? "00000000-0000-0000-0000-000000000000"}/${uuidOf("ncc", ctx.address)}`, arn: "" };
    case "databricks_mws_ncc_private_endpoint_rule":
      return { id: `${ctx.known.network_connectivity_config_id ?? uuidOf("ncc?", ctx.address)}/${uuidOf("rule", ctx.address)}`, arn: "" };
    case "databricks_mws_ncc_binding":
      return { id: `${ctx.known.workspace_id}/${ctx.known.network_connectivity_config_id}`, arn: "" };
    default: {
      const prefix = ID_PREFIX[ctx.type] ?? "";
      const kind = ctx.type.replace(/^[a-z]+_/, "").replace(/_/g, "-");
      return { id: `${prefix}${h17}`, arn: `arn:aws:ec2:${FAKE_REGION}:${FAKE_ACCOUNT}:${kind}/${prefix}${h17}` };
    }
  }
}

/** A well-formed fake string for an attribute path of a resource, deterministic per address. */
function fakeString(ctx: FakeContext, attrPath: string[]): string {
  const attr = attrPath[attrPath.length - 1];
  const top = attrPath.length === 1;
  const own = identity(ctx);
  const h = (n: number) => hex(n, ctx.address, attrPath.join("."));
  const dotted = attrPath.filter((p) => !/^\d+$/.test(p)).join(".");
  if (typeof DEFAULTS[ctx.type]?.[dotted] === "string") return DEFAULTS[ctx.type][dotted];
  if (top && attr === "id") return own.id;
  if (top && attr === "arn" && own.arn) return own.arn;
  if (top && attr === "arn_suffix" && own.suffix) return own.suffix;
  if (attr === "service_name" && ctx.type === "aws_vpc_endpoint_service") return `com.amazonaws.vpce.${FAKE_REGION}.${own.id}`;
  if (attr === "dns_name") return `${ctx.known.name ?? "fake"}-${h(10)}.elb.${FAKE_REGION}.amazonaws.com`;
  if (attr === "zone_id") return "Z26RNL4JYFTOTI";
  if (attr === "owner_id") return FAKE_ACCOUNT;
  if (attr === "vpc_id") return `vpc-${h(17)}`;
  if (attr === "security_group_rule_id") return ctx.type.includes("security_group") ? own.id : `sgr-${h(17)}`;
  if (attr === "security_group_id") return `sg-${h(17)}`;
  if (attr === "vpc_endpoint_id") return `vpce-${h(17)}`;
  if (attr === "vpc_endpoint_service_id") return `vpce-svc-${h(17)}`;
  if (attr === "network_connectivity_config_id" || attr === "rule_id") return uuidOf(ctx.address, attr);
  if (attr === "load_balancer_arn") return `arn:aws:elasticloadbalancing:${FAKE_REGION}:${FAKE_ACCOUNT}:loadbalancer/net/fake/${h(16)}`;
  if (attr === "target_group_arn") return `arn:aws:elasticloadbalancing:${FAKE_REGION}:${FAKE_ACCOUNT}:targetgroup/fake/${h(16)}`;
  if (attr === "arn" || attr.endsWith("_arn")) return `arn:aws:ec2:${FAKE_REGION}:${FAKE_ACCOUNT}:${attr.replace(/_arn$/, "").replace(/_/g, "-")}/${h(17)}`;
  if (attr.endsWith("_id")) return `${attr.replace(/_id$/, "").replace(/_/g, "-")}-${h(17)}`;
  return `fake-${h(8)}`;
}

/** A fake value of a cty type (JSON type notation). */
function fakeOfType(ctx: FakeContext, type: any, attrPath: string[]): any {
  if (type === "string") return fakeString(ctx, attrPath);
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if (kind === "list" || kind === "set" || kind === "tuple") return [];
    if (kind === "map") return {};
    if (kind === "object") return Object.fromEntries(Object.entries<any>(inner).map(([k, t]) => [k, fakeOfType(ctx, t, [...attrPath, k])]));
  }
  return null;
}

/** A fake for a whole unknown top-level attribute: a realistic default if there is one. */
function fakeAttr(ctx: FakeContext, type: any, attrPath: string[]): any {
  const d = DEFAULTS[ctx.type];
  const dotted = attrPath.filter((p) => !/^\d+$/.test(p)).join(".");
  if (d && dotted in d) return d[dotted];
  return fakeOfType(ctx, type, attrPath);
}

/**
 * A value with every unknown leaf (marked `true` in `unknown`, the plan's `after_unknown`)
 * replaced: by the leaf of `old` at the same path when there is one (a fake written before), else
 * by a fresh fake of the schema's type.
 */
function fillType(ctx: FakeContext, value: any, unknown: any, old: any, type: any, attrPath: string[]): any {
  if (unknown === true) return old !== undefined ? old : fakeAttr(ctx, type, attrPath);
  if (value === null || value === undefined) return value ?? null;
  if (type === "dynamic") return { value, type: ctyTypeOf(value) }; // e.g. terraform_data's input: stored with its type
  if (!Array.isArray(type)) return value;
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") {
    return (value as any[])
      .map((v, i) =>
        fillType(ctx, v, Array.isArray(unknown) ? unknown[i] : undefined, Array.isArray(old) ? old[i] : undefined, inner,
          [...attrPath, String(i)]));
  }
  if (kind === "tuple") {
    return (value as any[])
      .map((v, i) =>
        fillType(ctx, v, Array.isArray(unknown) ? unknown[i] : undefined, Array.isArray(old) ? old[i] : undefined, inner[i],
          [...attrPath, String(i)]));
  }
  if (kind === "map") {
    const keys = new Set([...Object.keys(value), ...Object.keys(unknown && typeof unknown === "object" ? unknown : {})]);
    return Object.fromEntries([...keys].map((k) => [k, fillType(ctx, value[k], unknown?.[k], old?.[k], inner, [...attrPath, k])]));
  }
  if (kind === "object") {
    return Object.fromEntries(Object.entries<any>(inner)
      .map(([k, t]) => [k, fillType(ctx, value[k], unknown?.[k], old?.[k], t, [...attrPath, k])]));
  }
  return value;
}

/** The type Terraform records for a JSON value in a dynamically typed attribute. */
export function ctyTypeOf(v: any): any {
  if (v === null) return "dynamic";
  if (typeof v === "string" || typeof v === "number") return typeof v;
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return ["tuple", v.map(ctyTypeOf)];
  return ["object", Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ctyTypeOf(x)]))];
}

/** `fillType` for a schema block (attributes, nested attribute types and nested blocks). */
function fillBlock(ctx: FakeContext, value: any, unknown: any, old: any, block: any, attrPath: string[]): any {
  const out: { [name: string]: any } = {};
  for (const [name, attr] of Object.entries<any>(block.attributes ?? {})) {
    const p = [...attrPath, name];
    if (attr.nested_type) {
      out[name] =
        fillNested(ctx, value?.[name], unknown?.[name], old?.[name],
          { nesting_mode: attr.nested_type.nesting_mode, block: { attributes: attr.nested_type.attributes } }, p);
    } else {
      out[name] = fillType(ctx, value?.[name], unknown?.[name], old?.[name], attr.type, p);
    }
  }
  for (const [name, bt] of Object.entries<any>(block.block_types ?? {})) {
    out[name] = fillNested(ctx, value?.[name], unknown?.[name], old?.[name], bt, [...attrPath, name]);
  }
  return out;
}

function fillNested(ctx: FakeContext, value: any, unknown: any, old: any, nested: any, attrPath: string[]): any {
  const mode = nested.nesting_mode;
  if (unknown === true) {
    if (old !== undefined) return old;
    return mode === "list" || mode === "set" ? [] : mode === "map" ? {} : null;
  }
  if (value === null || value === undefined) return mode === "list" || mode === "set" ? (value === null ? null : []) : null;
  if (mode === "list" || mode === "set") {
    return (value as any[])
      .map((v, i) =>
        fillBlock(ctx, v, Array.isArray(unknown) ? unknown[i] : undefined, Array.isArray(old) ? old[i] : undefined, nested.block,
          [...attrPath, String(i)]));
  }
  if (mode === "map") {
    return Object.fromEntries(Object.entries<any>(value)
      .map(([k, v]) => [k, fillBlock(ctx, v, unknown?.[k], old?.[k], nested.block, [...attrPath, k])]));
  }
  return fillBlock(ctx, value, unknown, old, nested.block, attrPath);
}

// ---------------------------------------------------------------- dependencies (from the configuration)

/** The configuration a workspace plans: its `cdk.tf.json`. */
function configOf(ws: Workspace): any {
  return JSON.parse(fs.readFileSync(path.join(ws.dir, "cdk.tf.json"), "utf8"));
}

/**
 * The JSON text of a block where references can be: `depends_on` (bare addresses) and the
 * `${...}` parts of strings. The literal text of a template (e.g. an error message that names an
 * address for `terraform import`) refers to nothing.
 */
function referencesOf(block: any): string {
  const interpolations = (s: string): string => {
    const parts: string[] = [];
    for (let i = s.indexOf("${"); i >= 0; i = s.indexOf("${", i + 1)) {
      if (s[i - 1] === "$") continue; // "$${" is literal text
      let depth = 0;
      let j = i + 1;
      for (; j < s.length; j++) if (s[j] === "{") depth++; else if (s[j] === "}" && --depth === 0) break;
      parts.push(s.slice(i, j + 1));
      i = j;
    }
    return parts.join(" ");
  };
  return JSON.stringify(block, (k, v) => (k === "depends_on" && Array.isArray(v) ? v.join(" ") : typeof v === "string" ? interpolations(v) : v));
}

/**
 * Per resource (`type.name`): every resource and data source it depends on, directly or through
 * locals and other resources (what Terraform records in `dependencies` after an apply: the
 * ancestors of the resource in the graph), and whether it is create_before_destroy (declared, or
 * forced because a create_before_destroy resource depends on it).
 */
export function dependencyInfo(config: any): { deps: Map<string, string[]>; cbd: Set<string> } {
  const nodes = new Map<string, string>(); // address -> JSON text of its block's references
  for (const [type, byName] of Object.entries<any>(config.resource ?? {})) for (const [name, b] of Object.entries<any>(byName)) nodes.set(`${type}.${name}`, referencesOf(b));
  for (const [type, byName] of Object.entries<any>(config.data ?? {})) for (const [name, b] of Object.entries<any>(byName)) nodes.set(`data.${type}.${name}`, referencesOf(b));
  const locals = new Map<string, string>(Object.entries<any>(config.locals ?? {}).map(([k, v]) => [k, JSON.stringify(v)]));
  const direct = (text: string, seenLocals = new Set<string>()): Set<string> => {
    const out = new Set<string>();
    for (const m of text.matchAll(/(?<![A-Za-z0-9_.\-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
      const a = `${m[1] ?? ""}${m[2]}.${m[3]}`;
      if (nodes.has(a)) out.add(a);
    }
    for (const m of text.matchAll(/(?<![A-Za-z0-9_.\-])local\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
      if (seenLocals.has(m[1]) || !locals.has(m[1])) continue;
      seenLocals.add(m[1]);
      direct(locals.get(m[1])!, seenLocals).forEach((a) => out.add(a));
    }
    return out;
  };
  const directDeps = new Map([...nodes].map(([a, text]) => [a, direct(text)]));
  const deps = new Map<string, string[]>();
  for (const a of nodes.keys()) {
    const seen = new Set<string>();
    const stack = [...directDeps.get(a)!];
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (d === a || seen.has(d)) continue;
      seen.add(d);
      stack.push(...directDeps.get(d)!);
    }
    deps.set(a, [...seen].sort());
  }
  const cbd = new Set<string>();
  for (const [type, byName] of Object.entries<any>(config.resource ?? {})) {
    for (const [name, b] of Object.entries<any>(byName)) {
      if (b.lifecycle?.create_before_destroy !== true) continue;
      cbd.add(`${type}.${name}`);
      for (const d of deps.get(`${type}.${name}`)!) if (!d.startsWith("data.")) cbd.add(d);
    }
  }
  return { deps, cbd };
}

// ---------------------------------------------------------------- state from plans

/** The provider address of a state resource (`provider["registry.terraform.io/hashicorp/aws"]`, `.alias`). */
function providerAddress(plan: any, change: any): string {
  const conf = (plan.configuration?.root_module?.resources ?? []).find((r: any) => r.address === change.address.replace(/\[[^\]]*\]$/, ""));
  const key: string = conf?.provider_config_key ?? "";
  const alias = key.includes(".") ? key.split(".").slice(1).join(".") : undefined;
  return `provider["${change.provider_name}"]${alias ? `.${alias}` : ""}`;
}

/** An empty state. */
export function emptyState(terraformVersion: string): TerraformState {
  return { version: 4, terraform_version: terraformVersion, serial: 1, lineage: randomUUID(), outputs: {}, resources: [], check_results:
    null };
}

/**
 * Applies a plan to a state, on paper: created instances are added with the plan's known values
 * and fakes for the unknown ones; updated and replaced instances take the plan's known values
 * and keep their earlier (fake) value where the plan does not know one; deleted ones go.
 * Dependencies and create_before_destroy come from the workspace's configuration.
 */
export function applyOnPaper(ws: Workspace, plan: any, state: TerraformState): TerraformState {
  const schemas = providerSchemas(ws);
  const { deps, cbd } = dependencyInfo(configOf(ws));
  const resources = new Map<string, StateResource>(state.resources.map((r) => [`${r.type}.${r.name}`, { ...r, instances: [...r.instances] }]));
  /** Per created single-instance resource: its attributes the plan did not know. */
  const unknownAttrs = new Map<string, Set<string>>();
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    if (change.module_address) throw new Error(`state writer: modules are not supported (${change.address})`);
    const acts: string[] = change.change.actions;
    if (acts.length === 1 && acts[0] === "no-op") continue;
    const key = `${change.type}.${change.name}`;
    const schema = schemas[change.provider_name]?.[change.type];
    if (!schema) throw new Error(`state writer: no schema for ${change.type} in ${change.provider_name}`);
    let resource = resources.get(key);
    if (!resource) {
      resource = {
        mode: "managed",
        type: change.type,
        name: change.name,
        ...(change.index === undefined ? {} : { each: typeof change.index === "number" ? "list" as const : "map" as const }),
        provider: providerAddress(plan, change),
        instances: [],
      };
      resources.set(key, resource);
    }
    const at = resource.instances.findIndex((i) => i.index_key === change.index);
    if (acts.length === 1 && acts[0] === "delete") {
      if (at >= 0) resource.instances.splice(at, 1);
      continue;
    }
    const old = at >= 0 ? resource.instances[at].attributes : undefined;
    const after = change.change.after ?? {};
    const ctx: FakeContext = { address: change.address, type: change.type, known: { ...(old ?? {}), ...after } };
    const instance: StateInstance = {
      ...(change.index === undefined ? {} : { index_key: change.index }),
      schema_version: schema.version,
      attributes: fillBlock(ctx, after, change.change.after_unknown ?? {}, old, schema.block, []),
      sensitive_attributes: [],
      dependencies: (deps.get(key) ?? []).filter((d) => d !== key),
      ...(cbd.has(key) ? { create_before_destroy: true } : {}),
    };
    if (change.index === undefined && acts.join() === "create") {
      unknownAttrs.set(key, new Set(Object.entries<any>(change.change.after_unknown ?? {}).filter(([, u]) => u === true).map(([k]) => k)));
    }
    if (at >= 0) resource.instances[at] = instance;
    else resource.instances.push(instance);
  }
  resolveSimpleReferences(configOf(ws), resources, unknownAttrs);
  const out = [...resources.values()].filter((r) => r.instances.length > 0);
  for (const r of out) r.instances.sort((a, b) => String(a.index_key ?? "").localeCompare(String(b.index_key ?? "")));
  out.sort((a, b) => `${a.type}.${a.name}`.localeCompare(`${b.type}.${b.name}`));
  // Outputs as planned (known ones; an unknown output is written with a null value).
  const outputs: TerraformState["outputs"] = {};
  for (const [name, o] of Object.entries<any>(plan.planned_values?.outputs ?? {})) {
    if (o.type !== undefined) outputs[name] = { value: o.value ?? null, type: o.type, ...(o.sensitive ? { sensitive: true } : {}) };
  }
  return { ...state, terraform_version: plan.terraform_version ?? state.terraform_version, outputs, resources: out };
}

/**
 * Saves a re-plan: an unknown top-level attribute of a created resource without for_each whose
 * configuration is one plain reference to another resource's attribute (`"${aws_lb.x.arn}"`), or
 * a list of them, takes that attribute's value from the state being written. (Anything more
 * complex, e.g. through locals and `each.value`, is left to the re-plans.)
 */
function resolveSimpleReferences(config: any, resources: Map<string, StateResource>, unknownAttrs: Map<string, Set<string>>): void {
  const single = (text: unknown): any => {
    const m = typeof text === "string" ? /^\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z0-9_]+)\}$/.exec(text) : null;
    if (!m) return undefined;
    const target = resources.get(`${m[1]}.${m[2]}`);
    if (!target || target.instances.length !== 1 || target.instances[0].index_key !== undefined) return undefined;
    return target.instances[0].attributes[m[3]];
  };
  for (const [key, attrs] of unknownAttrs) {
    const [type, name] = key.split(".");
    const block = config.resource?.[type]?.[name];
    const instance = resources.get(key)?.instances[0];
    if (!block || !instance) continue;
    for (const attr of attrs) {
      const v = block[attr];
      const resolved = Array.isArray(v) ? v.map(single) : single(v);
      if (resolved === undefined || (Array.isArray(resolved) && resolved.some((x) => x === undefined))) continue;
      instance.attributes[attr] = resolved;
    }
  }
}

/** Every resource change that is not a no-op, as `address: actions`. */
export function pendingChanges(plan: any): { [address: string]: string[] } {
  const out: { [address: string]: string[] } = {};
  for (const c of plan.resource_changes ?? []) if (!(c.change.actions.length === 1 && c.change.actions[0] === "no-op")) out[c.address] = c.change.actions;
  return out;
}

/** Whether the plan changes no resource (and no output). */
export function isNoop(plan: any): boolean {
  const outputs = Object.values<any>(plan.output_changes ?? {}).every((o) => o.actions.length === 1 && o.actions[0] === "no-op");
  return Object.keys(pendingChanges(plan)).length === 0 && outputs;
}

/**
 * Given a workspace whose stack has been init'ed and planned (`plan`, `terraform show -json` of
 * it), writes `terraform.tfstate` as the apply of that plan would have, then re-plans
 * (`-refresh=false`) and copies what each re-plan knows back into the state until a re-plan
 * shows no change. Throws, with the remaining changes, when `maxRounds` re-plans do not get there.
 */
export function converge(ws: Workspace, plan: any, options: { vars?: { [name: string]: unknown }; maxRounds?: number } = {}): Converged {
  const started = Date.now();
  const maxRounds = options.maxRounds ?? 5;
  let state = applyOnPaper(ws, plan, readState(ws) ?? emptyState(plan.terraform_version ?? "1.11.4"));
  writeState(ws, state);
  for (let round = 1; round <= maxRounds; round++) {
    const again = ws.plan(options.vars ?? {});
    if (isNoop(again)) return { state: readState(ws)!, rounds: round, noopPlan: again, seconds: (Date.now() - started) / 1000 };
    if (round === maxRounds) {
      const detail = (again.resource_changes ?? []).filter((c: any) => c.change.actions.join() !== "no-op").slice(0, 5)
        .map((c: any) => `${c.address} ${JSON.stringify(c.change.actions)} ${JSON.stringify(diff(c.change.before, c.change.after))}`);
      throw new Error(`state writer: after ${maxRounds} re-plans the plan still changes ${JSON.stringify(pendingChanges(again))}\n${detail.join("\n")}`);
    }
    state = applyOnPaper(ws, again, readState(ws)!);
    writeState(ws, state);
  }
  throw new Error("unreachable");
}

/** The top-level attributes that differ between two values (for error messages). */
export function diff(before: any, after: any): { [name: string]: [any, any] } {
  const out: { [name: string]: [any, any] } = {};
  for (const k of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    if (JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k])) out[k] = [before?.[k], after?.[k]];
  }
  return out;
}
