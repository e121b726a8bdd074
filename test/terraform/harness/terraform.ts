// Runs the real `terraform` binary on what the library writes, offline: the real aws provider
// from the machine's mirror, and the project's stand-in dns and databricks providers. Where the
// registry can be reached (a user's CI), PLR_TF_REAL_PROVIDERS=aws[,dns,databricks] takes those
// providers from it instead (real dns must resolve the test hostnames, and real databricks needs
// account credentials, so the stand-ins stay the usual choice for those two).
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { installMirror } = require("../standin/mirror");

/** Where the build machines mirror the real aws provider (5.100.0): the folder above `registry.terraform.io`. */
export const AWS_MIRROR = process.env.PLR_TF_AWS_MIRROR ?? "/opt/tf-plugins";
/** The stand-in versions the mirror offers: the bindings' pin (1.99.0) and what the library requires. */
export const STANDIN_VERSIONS = { dns: ["3.4.3"], databricks: ["1.99.0", "1.121.0"] };
/** Providers taken from the registry instead of the mirror or the stand-ins. */
const REAL = new Set((process.env.PLR_TF_REAL_PROVIDERS ?? "").split(",").map((p) => p.trim()).filter((p) => p));
const SOURCES: { [name: string]: string } = { aws: "hashicorp/aws", dns: "hashicorp/dns", databricks: "databricks/databricks" };

/** Whether terraform is on this machine and the aws provider can be had (mirror, or the registry). */
export function terraformAvailable(): boolean {
  const found = spawnSync("terraform", ["version"], { encoding: "utf8" });
  return found.status === 0 && (REAL.has("aws") || fs.existsSync(path.join(AWS_MIRROR, "registry.terraform.io", "hashicorp", "aws")));
}

let shared: { root: string; cliConfig: string } | undefined;

/** The CLI configuration (provider installation) and the stand-in mirror, made once per process. */
function setup(): { root: string; cliConfig: string } {
  if (shared) return shared;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "plr-tf-"));
  // Working directories go when the process ends (PLR_TF_KEEP=1 keeps them for a look).
  if (process.env.PLR_TF_KEEP !== "1") process.once("exit", () => fs.rmSync(root, { recursive: true, force: true }));
  const standins = path.join(root, "standin-mirror");
  installMirror(standins, STANDIN_VERSIONS);
  const address = (name: string) => `"registry.terraform.io/${SOURCES[name]}"`;
  const mirrored = (names: string[], dir: string) => {
    const kept = names.filter((n) => !REAL.has(n));
    return kept.length === 0 ? "" : `  filesystem_mirror {\n    path    = "${dir}"\n    include = [${kept.map(address).join(", ")}]\n  }\n`;
  };
  const direct = REAL.size === 0 ? "" : `  direct {\n    include = [${[...REAL].map(address).join(", ")}]\n  }\n`;
  const cliConfig = path.join(root, "cli.tfrc");
  fs.writeFileSync(cliConfig, `provider_installation {\n${mirrored(["aws"], AWS_MIRROR)}${mirrored(["dns", "databricks"], standins)}${direct}}\n`);
  shared = { root, cliConfig };
  return shared;
}

/**
 * What a working copy changes in the synthesized configuration, as a Terraform override file
 * (the synthesized file itself stays untouched): no backend; the aws constraint relaxed to the
 * mirror's 5.100.0 (the bindings target 6.x); placeholder credentials and no AWS calls. The one
 * aws data source that would call AWS (`aws_subnet`, the routers' subnet CIDRs) reads nothing
 * (`count = 0`): offline, its values come from `terraform test` mocks (sequences, ip-sync).
 */
export function offlineOverride(config: any, options: { readSubnets?: boolean } = {}): object {
  const aws = (config.provider?.aws ?? []).map((p: any) => ({
    ...(p.alias ? { alias: p.alias } : {}),
    access_key: "AKIAOFFLINEPLACEHOLD",
    secret_key: "offline-placeholder-secret",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  }));
  const subnets = options.readSubnets ? [] : Object.keys(config.data?.aws_subnet ?? {});
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.0" } } },
    ...(aws.length > 0 ? { provider: { aws } } : {}),
    ...(subnets.length > 0 ? { data: { aws_subnet: Object.fromEntries(subnets.map((k) => [k, { count: 0 }])) } } : {}),
  };
}

/** The result of one terraform command. */
export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** One Terraform working directory. */
export class Workspace {
  public readonly dir: string;
  /** The stand-in account of this workspace (databricks). */
  public readonly accountFile: string;
  /** The DNS answers of this workspace (dns). */
  public readonly dnsFile: string;

  constructor(name: string, dir?: string) {
    this.dir = dir ?? fs.mkdtempSync(path.join(setup().root, `${name.replace(/[^A-Za-z0-9-]/g, "-")}-`));
    fs.mkdirSync(this.dir, { recursive: true });
    this.accountFile = path.join(this.dir, "account.json");
    this.dnsFile = path.join(this.dir, "dns.json");
    this.setDns({});
  }

  /**
   * Writes a synthesized stack (`cdk.tf.json` content, or an HCL `cdk.tf`) and its offline
   * override; `assetsFrom` is the synthesized stack folder whose `assets/` (zips) come along;
   * `readSubnets` keeps the subnet data sources (for `terraform test` with a mocked aws).
   */
  public writeStack(config: any, options: { hcl?: string; into?: string; assetsFrom?: string; readSubnets?: boolean } = {}): void {
    const dir = options.into ? path.join(this.dir, options.into) : this.dir;
    fs.mkdirSync(dir, { recursive: true });
    if (options.assetsFrom && fs.existsSync(path.join(options.assetsFrom, "assets"))) {
      fs.cpSync(path.join(options.assetsFrom, "assets"), path.join(dir, "assets"), { recursive: true });
    }
    const withoutBackend = { ...config, terraform: { ...config.terraform, backend: undefined } };
    delete withoutBackend.terraform.backend;
    if (options.hcl !== undefined) {
      // The HCL output as written, but for its backend block (there is one; local, into the repo).
      fs.writeFileSync(path.join(dir, "cdk.tf"), options.hcl.replace(/\n\s*backend "local" \{[^}]*\}\n/, "\n"));
    } else {
      fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(withoutBackend, null, 2));
    }
    fs.writeFileSync(path.join(dir, "offline_override.tf.json"), JSON.stringify(offlineOverride(config, options), null, 2));
  }

  /** Sets what the dns stand-in answers (host -> IPv4 addresses). */
  public setDns(answers: { [host: string]: string[] }): void {
    fs.writeFileSync(this.dnsFile, JSON.stringify(answers, null, 2));
  }

  /** The offline environment terraform runs with here: CLI config, the stand-ins' fixtures. */
  public environment(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      TF_CLI_CONFIG_FILE: setup().cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      NO_COLOR: "1",
      STANDIN_DNS_FIXTURE: this.dnsFile,
      STANDIN_DATABRICKS_ACCOUNT: this.accountFile,
    };
  }

  /** Runs terraform with the offline environment; throws with its output when it fails (unless `allowFailure`). */
  public terraform(args: string[], options: { allowFailure?: boolean; cwd?: string } = {}): Run {
    const started = Date.now();
    const result = spawnSync("terraform", args, {
      cwd: options.cwd ?? this.dir,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: this.environment(),
    });
    const run = { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr, seconds: (Date.now() - started) / 1000 };
    if (run.status !== 0 && !options.allowFailure) {
      throw new Error(`terraform ${args.join(" ")} failed in ${this.dir} (exit ${run.status}):\n${run.stderr}\n${run.stdout.slice(-4000)}`);
    }
    return run;
  }

  public init(): Run {
    return this.terraform(["init", "-no-color", "-input=false", "-backend=false"]);
  }

  public validate(): any {
    return JSON.parse(this.terraform(["validate", "-no-color", "-json"], { allowFailure: true }).stdout);
  }

  /** `plan -refresh=false` to a file; returns `terraform show -json` of it. */
  public plan(vars: { [name: string]: unknown } = {}, extra: string[] = []): any {
    this.terraform(["plan", "-no-color", "-input=false", "-refresh=false", "-out=plan.bin", ...varArgs(vars), ...extra]);
    return this.show("plan.bin");
  }

  /** A plan expected to fail: its error output. */
  public planError(vars: { [name: string]: unknown } = {}): string {
    const run = this.terraform(["plan", "-no-color", "-input=false", "-refresh=false", ...varArgs(vars)], { allowFailure: true });
    if (run.status === 0) throw new Error(`expected the plan to fail in ${this.dir}, but it passed`);
    return run.stderr + run.stdout;
  }

  public show(planFile: string): any {
    return JSON.parse(this.terraform(["show", "-no-color", "-json", planFile]).stdout);
  }
}

function varArgs(vars: { [name: string]: unknown }): string[] {
  return Object.entries(vars).flatMap(([k, v]) => ["-var", `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`]);
}

/** Every planned resource instance (root module), by address. */
export function plannedResources(plan: any): { [address: string]: any } {
  const out: { [address: string]: any } = {};
  for (const r of plan.planned_values?.root_module?.resources ?? []) out[r.address] = r;
  return out;
}

/** Planned resource instances of a type. */
export function planned(plan: any, type: string): any[] {
  return Object.values(plannedResources(plan)).filter((r) => r.type === type);
}

/** The actions of every resource change, by address (`["create"]`, `["update"]`, `["create","delete"]` ...). */
export function actions(plan: any): { [address: string]: string[] } {
  return Object.fromEntries((plan.resource_changes ?? []).map((c: any) => [c.address, c.change.actions]));
}

/** The git-ignored output folder of `npm run example`, synthesized by the real cdktf CLI. */
export function cliSynth(root: string, hcl: boolean): string {
  execFileSync("node", ["scripts/example.js", ...(hcl ? ["--hcl"] : [])], { cwd: root, stdio: "pipe" });
  return path.join(root, "cdktf.out", "stacks", "databricks-serverless", hcl ? "cdk.tf" : "cdk.tf.json");
}
