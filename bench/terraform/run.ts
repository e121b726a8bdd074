// `npm run bench:terraform`: what the library's output costs Terraform, against the plain module
// in bench/terraform/plain (the same job written by hand; the ratios are against it) and the same
// module sharded as AWS requires (bench/terraform/plain-sharded), side by side in one run: plan CPU
// seconds and peak memory of terraform and its providers (measure.ts), resources per database,
// plan JSON size and `terraform test` apply time with a mocked aws provider. Offline: the real aws
// provider from the machine's mirror, the project's stand-in dns provider. Not part of CI (a plan
// of 1,000 databases takes minutes). Prints a Markdown table and writes it into BENCHMARKS.md.
//   npm run bench:terraform                   the full run (N = 50, 300, 1000; 250 for split stacks)
//   npm run bench:terraform -- --sizes 50,300 --rounds 3
//   npm run bench:terraform -- --ablate 300   where the library's plan time goes, at N = 300
//   npm run bench:terraform -- --ablate 100 --rounds 1 --apply   and its `terraform test` apply time
//   npm run bench:terraform -- --ablate 300 --egress-cidrs   the same, for the output with `egressCidrs`
//   npm run bench:terraform -- --sizes 1000 --rounds 1 --only "plain module,(30 rules, 300 names)"   some variants
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksStack, NetworkStack } from "../../examples/two-teams/stacks";
import { PrivateLinkRouter } from "../../src";
import { addressOf, SUBNETS, VPC } from "../../test/terraform/harness/scenarios";
import { mockAws } from "../../test/terraform/harness/sequence";
import { offlineOverride, terraformAvailable, Workspace } from "../../test/terraform/harness/terraform";
import { Cost, measure } from "./measure";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const ABLATE = option("ablate");
const SIZES = (option("sizes") ?? (ABLATE ?? "50,300,1000")).split(",").map(Number);
const ROUNDS = Number(option("rounds") ?? 3);
/** Rounds at N >= 1000: a plan there takes minutes, one round is enough. */
const roundsAt = (n: number): number => (n >= 1000 ? 1 : ROUNDS);
const APPLY_MAX = Number(option("apply-max") ?? 300);
/** With --ablate: also run each variant's `terraform test` apply (where the apply time goes). */
const ABLATE_APPLY = args.includes("--apply");
/** With --ablate: ablate the output with `egressCidrs` instead of the default one. */
const EGRESS_CIDRS = { egressCidrs: ["10.0.0.0/8"] };
const ABLATED = args.includes("--egress-cidrs") ? { name: "library, egressCidrs", props: EGRESS_CIDRS } : { name: "library", props: {} };
const ROOT = path.resolve(__dirname, "../..");

/** A configuration transform for the ablation: what is taken away from the library's output. */
type Ablation = (config: any) => void;
const each = (config: any, fn: (block: any, type: string) => void): void => {
  for (const kind of ["resource", "data"]) for (const [type, blocks] of Object.entries<any>(config[kind] ?? {})) for (
    const b of Object.values<any>(blocks)) fn(b, type);
};
const ABLATIONS: { [name: string]: Ablation } = {
  "no depends_on": (c) => each(c, (b) => delete b.depends_on),
  "no pre/postconditions": (c) =>
    each(c, (b) => {
      delete b.lifecycle?.precondition;
      delete b.lifecycle?.postcondition;
    }),
  "no outputs": (c) => delete c.output,
  "no tags": (c) => each(c, (b) => delete b.tags),
  "no create_before_destroy": (c) => each(c, (b) => delete b.lifecycle?.create_before_destroy),
  // The listeners forward through the target group ARNs without the always-true condition on
  // every attachment and egress rule that orders them after those.
  "no listener ordering condition": (c) => {
    for (const [name, value] of Object.entries<any>(c.locals ?? {})) {
      if (name.includes("listener_target_groups")) c.locals[name] = String(value).replace(/^\$\{.*? \? (\{ for .*\}) : \{\}\}$/, "$${$1}");
    }
  },
};

interface Variant {
  readonly name: string;
  /** The share of the N databases its plan holds (a share below 1 runs at N >= 1000 only). */
  readonly share: number;
  /** The databases its plan holds whatever N is (runs at N >= 1000 only). */
  readonly fixed?: number;
  /** Writes the configuration for N databases into a fresh workspace. */
  readonly write: (ws: Workspace, n: number, forTest: boolean) => void;
}

const databases = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `db${i}`, host: `db${i}.tenants.example.internal`, port: 5432 }));

function librarySynth(n: number, props: { egressCidrs?: string[] }): any {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "plr-tfbench-synth-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "bench");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new PrivateLinkRouter(stack, "Router", { vpcId: VPC, subnetIds: SUBNETS, targets: databases(n), ...props });
  app.synth();
  const config = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "bench", "cdk.tf.json"), "utf8"));
  fs.rmSync(outdir, { recursive: true, force: true });
  return config;
}

function library(name: string, props: { egressCidrs?: string[] }, ablations: Ablation[] = [], share = 1): Variant {
  return {
    name,
    share,
    write: (ws, n, forTest) => {
      const config = librarySynth(n, props);
      for (const a of ablations) a(config);
      ws.writeStack(config, { readSubnets: forTest });
    },
  };
}

/** A hand-written module from bench/terraform/<dir>; `sharded` gives each database its NLB (50 per NLB). */
const handWritten = (name: string, dir: string, sharded: boolean): Variant => ({
  name,
  share: 1,
  write: (ws, n) => {
    fs.copyFileSync(path.join(__dirname, dir, "main.tf"), path.join(ws.dir, "main.tf"));
    const aws = (offlineOverride({ provider: { aws: [{}] } }) as any).provider.aws[0];
    fs.writeFileSync(path.join(ws.dir, "provider.tf.json"), JSON.stringify({ provider: { aws: [{ region: "us-east-1", ...aws }] } }));
    const dbs = Object.fromEntries(databases(n).map((d, i) => [d.name,
      { host: d.host, port: d.port, listener_port: 10000 + i, ...(sharded ? { shard: String(Math.floor(i / LISTENERS_PER_NLB)) } : {}) }]));
    fs.writeFileSync(path.join(ws.dir, "terraform.tfvars.json"), JSON.stringify({ vpc_id: VPC, subnet_ids: SUBNETS, databases: dbs }));
  },
});
/** AWS's quota of listeners per NLB, not adjustable. */
const LISTENERS_PER_NLB = 50;
const plain = handWritten("plain module", "plain", false);
const plainSharded = handWritten("plain module, sharded (50 listeners per NLB, as AWS requires)", "plain-sharded", true);

/**
 * The NCC stack of a split estate (examples/two-teams: routers in their own stacks, the NCC
 * reading their services through cdktf's cross-stack remote state). Databricks caps what one NCC
 * carries in a region (30 rules of 10 names), so this stack is at most that, however large the
 * estate: three router stacks of 100 in shards of 10. The router stacks' states hold only the
 * outputs the NCC stack reads; Databricks has made no endpoint yet (the first plan).
 */
const NCC_ROUTER_STACKS = 3;
const nccStack: Variant = {
  name: "NCC stack at Databricks' regional maximum (30 rules, 300 names)",
  share: 0,
  fixed: 300,
  write: (ws) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "plr-tfbench-ncc-"));
    const app = new App({ outdir });
    const routers = Array.from({ length: NCC_ROUTER_STACKS }, (_, s) => new NetworkStack(app, `routers-${s}`, {
      serviceName: `estate-${s}`, vpcId: VPC, subnetIds: SUBNETS,
      targets: databases(300).slice(s * 100, (s + 1) * 100),
    }).router);
    new DatabricksStack(app, "databricks", routers);
    app.synth();
    const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    const config = read("databricks");
    for (const [key, remote] of Object.entries<any>(config.data.terraform_remote_state)) {
      const stack = key.replace("cross-stack-reference-input-", "");
      const names = Object.keys(read(stack).output).filter((o) => o.startsWith("cross-stack-output-"));
      const serviceName = (i: number) => `com.amazonaws.vpce.us-east-1.vpce-svc-${stack.slice(-1)}${String(i).padStart(16, "0")}`;
      const outputs = Object.fromEntries(names.map((o, i) => [o, { value: serviceName(i), type: "string", sensitive: true }]));
      remote.config.path = path.join(ws.dir, `${stack}.tfstate`);
      fs.writeFileSync(remote.config.path, JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: stack, outputs,
        resources: [] }));
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    ws.writeStack(config);
    fs.writeFileSync(ws.accountFile, JSON.stringify({ nccs: {}, bindings: {} }));
  },
};

/** --only <a,b>: the variants named so, or whose name ends so ("plain module,library,no tags"; no ratios without the plain module). */
const ONLY = option("only")?.split(",");
const allVariants: Variant[] = ABLATE
  ? [
      plain,
      library(ABLATED.name, ABLATED.props),
      ...Object.entries(ABLATIONS).map(([name, a]) => library(`${ABLATED.name}, ${name}`, ABLATED.props, [a])),
      library(`${ABLATED.name}, all of these`, ABLATED.props, Object.values(ABLATIONS)),
    ]
  : [
      plain,
      plainSharded,
      library("library", {}),
      library("library, egressCidrs", EGRESS_CIDRS),
      // The estate split into four router stacks planned in parallel: the largest plan is one of
      // four identical stacks of N/4 targets; the NCC stack that reads their services is bounded
      // by Databricks' limits, measured at them.
      library("library, 1 of 4 router stacks (N/4 each)", {}, [], 1 / 4),
      nccStack,
    ];
const variants = allVariants.filter((v) => ONLY === undefined || ONLY.some((o) => v.name === o || v.name.endsWith(o)));

interface Row {
  variant: string;
  n: number;
  /** The databases this row's plan holds (N, or N/4 for one of four stacks). */
  databases: number;
  cpu: number[];
  memory: number[];
  wall: number[];
  resources: number;
  planKb: number;
  applyCpu?: number;
}

/** The databases a variant's plan holds at size N. */
const databasesOf = (variant: Variant, n: number): number => variant.fixed ?? Math.round(n * variant.share);
/** Whether a variant runs at size N: the whole estate always, a part of it (a split stack) at N >= 1000. */
const runsAt = (variant: Variant, n: number): boolean => (variant.share === 1 && variant.fixed === undefined) || n >= 1000;

function prepare(variant: Variant, n: number): Workspace {
  const ws = new Workspace(`${variant.name}-${n}`);
  variant.write(ws, databasesOf(variant, n), false);
  ws.setDns(Object.fromEntries(databases(databasesOf(variant, n)).map((d) => [d.host, [addressOf(d.host)]])));
  ws.init();
  return ws;
}

async function plan(ws: Workspace): Promise<Cost> {
  const cost =
    await measure(["plan", "-no-color", "-input=false", "-refresh=false", "-lock=false", "-out=plan.bin"], ws.dir, ws.environment());
  if (cost.status !== 0) throw new Error(`plan failed in ${ws.dir}:\n${cost.stderr}\n${cost.stdout.slice(-3000)}`);
  return cost;
}

async function applyTest(variant: Variant, ws: Workspace, n: number): Promise<number> {
  variant.write(ws, n, true);
  fs.writeFileSync(path.join(ws.dir, "bench.tftest.hcl"), `${mockAws({})}\n\nrun "apply" {\n  command = apply\n}\n`);
  const cost = await measure(["test", "-no-color"], ws.dir, ws.environment());
  if (cost.status !== 0) throw new Error(`terraform test failed in ${ws.dir}:\n${cost.stderr}\n${cost.stdout.slice(-3000)}`);
  return cost.cpuSeconds;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  if (!terraformAvailable()) {
    console.error("bench:terraform needs terraform on PATH and the aws provider mirror (see README, Testing)");
    process.exit(1);
  }
  const started = Date.now();
  const rows: Row[] = [];
  const spaces = new Map<Row, Workspace>();
  for (const n of SIZES) {
    for (const variant of variants.filter((v) => runsAt(v, n))) {
      const row: Row =
        { variant: variant.name, n, databases: databasesOf(variant, n), cpu: [], memory: [], wall: [], resources: 0, planKb: 0 };
      rows.push(row);
      spaces.set(row, prepare(variant, n));
    }
  }
  // Interleaved: round by round, every variant at a size before the next round.
  for (const n of SIZES) {
    const here = rows.filter((r) => r.n === n);
    for (let round = 0; round < roundsAt(n); round++) {
      for (const row of here) {
        const ws = spaces.get(row)!;
        const cost = await plan(ws);
        row.cpu.push(cost.cpuSeconds);
        row.memory.push(cost.peakMemoryMb);
        row.wall.push(cost.wallSeconds);
        process.stderr.write(
          `${row.variant} N=${n} round ${round + 1}: ${cost.cpuSeconds.toFixed(1)} s CPU, ${cost.peakMemoryMb.toFixed(0)} MB\n`);
        if (round === 0) {
          const shown = ws.terraform(["show", "-no-color", "-json", "plan.bin"]).stdout;
          row.planKb = shown.length / 1024;
          row.resources = (JSON.parse(shown).resource_changes ?? []).filter((c: any) => c.mode === "managed").length;
        }
      }
    }
    if ((!ABLATE || ABLATE_APPLY) && n <= APPLY_MAX) {
      for (const row of here) {
        const variant = variants.find((v) => v.name === row.variant)!;
        row.applyCpu = await applyTest(variant, spaces.get(row)!, row.databases);
        process.stderr.write(`${row.variant} N=${n} terraform test apply: ${row.applyCpu.toFixed(1)} s CPU\n`);
      }
    }
  }
  const table = render(rows, (Date.now() - started) / 1000);
  process.stdout.write(table + "\n");
  if (!ABLATE && !option("sizes") && ONLY === undefined) writeBenchmarks(table);
}

function render(rows: Row[], seconds: number): string {
  const base = (r: Row) => rows.find((b) => b.n === r.n && b.variant === "plain module");
  const ratio = (value: number, of: number | undefined) => (of === undefined ? "-" : `${(value / of).toFixed(2)}x`);
  const lines = [
    `Measured by \`npm run bench:terraform\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} ` +
    `cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `${fs.readFileSync("/proc/version", "utf8").split(" ")[2]}, terraform ${terraformVersion()}, real aws provider from the mirror, ` +
      `stand-in dns. ` +
      `\`plan -refresh=false\`, medians of ${ROUNDS} rounds (1 at N >= 1000), interleaved; CPU and memory of terraform and its ` +
      `providers together. Full run: ${seconds.toFixed(0)} s.`,
    "",
    "| variant | N | plan CPU (s) | vs plain | peak memory (MB) | vs plain | plan wall (s) | resources | per database | plan JSON (KB) " +
    "| test apply CPU (s) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const b = base(r);
    lines.push(
      `| ${r.variant} | ${r.n} | ${median(r.cpu).toFixed(1)} | ${ratio(median(r.cpu), b && median(b.cpu))} ` +
      `| ${median(r.memory).toFixed(0)} | ` +
        `${ratio(median(r.memory), b && median(b.memory))} | ${median(r.wall).toFixed(1)} | ${r.resources} ` +
        `| ${(r.resources / r.databases).toFixed(2)} | ` +
        `${r.planKb.toFixed(0)} | ${r.applyCpu === undefined ? "-" : r.applyCpu.toFixed(1)} |`,
    );
  }
  return lines.join("\n");
}

function terraformVersion(): string {
  const ws = new Workspace("version");
  return /v(\d+\.\d+\.\d+)/.exec(ws.terraform(["version"]).stdout)?.[1] ?? "?";
}

function writeBenchmarks(table: string): void {
  const file = path.join(ROOT, "BENCHMARKS.md");
  const text = fs.readFileSync(file, "utf8");
  const start = "<!-- bench:terraform:start -->";
  const end = "<!-- bench:terraform:end -->";
  const block = `${start}\n${table}\n${end}`;
  fs.writeFileSync(file, text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*${end}`), block) :
    `${text.trimEnd()}\n\n${block}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
