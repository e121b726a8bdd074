// Self-test of the stand-in dns and databricks providers: check-schema.js, then the real terraform CLI
// against them in a temp dir (init, validate, plan, apply x2, update/replace plans, destroy refused
// as the real provider refuses it, then done, test).
// Run: node test/terraform/standin/selftest.js [--keep]   (exit code 1 and a message on failure;
// --keep leaves the temp dir, with its cli.tfrc, account.json and config/, for inspection)
"use strict";

const { spawn, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { installMirror, cliConfig } = require("./mirror");

const ACCOUNT_ID = "0d2c3a1e-5b6f-4c7d-8e9f-0a1b2c3d4e5f";
const SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
const OTHER_SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210";
const WORKSPACE = 1234567890123456;

const started = Date.now();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "standin-selftest-"));
const work = path.join(dir, "config");
const accountFile = path.join(dir, "account.json");
let checks = 0;

/** Fails the self-test with a message (and the temp dir kept for inspection). */
function fail(msg, output) {
  process.stderr.write(`standin selftest: FAIL: ${msg}\n${output ? `--- terraform output ---\n${output}\n` : ""}(files kept in ${dir})\n`);
  process.exit(1);
}

/** Asserts a condition. */
function check(cond, msg, output) {
  checks++;
  if (!cond) fail(msg, output);
}

const env = {
  ...process.env,
  TF_CLI_CONFIG_FILE: path.join(dir, "cli.tfrc"),
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  TF_INPUT: "0",
  STANDIN_DNS_FIXTURE: path.join(dir, "hosts.json"),
  STANDIN_DATABRICKS_ACCOUNT: accountFile,
};
delete env.TF_PLUGIN_CACHE_DIR;
delete env.TF_DATA_DIR;
delete env.TF_WORKSPACE;

/**
 * Runs terraform in the config dir.
 * @param {string[]} args
 * @param {{fails?: boolean}} [opts] fails: the command is expected to fail
 * @returns {string} stdout + stderr
 */
function tf(args, opts = {}) {
  const r = spawnSync("terraform", [...args, "-no-color"], { cwd: work, env, encoding: "utf8", maxBuffer: 64 << 20 });
  const out = `${r.stdout}${r.stderr}`;
  if (r.error) fail(`terraform ${args[0]}: ${r.error.message}`);
  if (!opts.fails && r.status !== 0) fail(`terraform ${args.join(" ")} exited with ${r.status}`, out);
  if (opts.fails && r.status === 0) fail(`terraform ${args.join(" ")} succeeded but should have failed`, out);
  return out;
}

const outputs = () => Object.fromEntries(Object.entries(JSON.parse(tf(["output", "-json"]).replace(/^[^{]*/, ""))).map(([k, v]) => [k, v.value]));
const account = () => JSON.parse(fs.readFileSync(accountFile, "utf8"));

/** Actions of each resource change of a saved plan, by address. */
function planActions(args) {
  tf(["plan", "-out=check.tfplan", ...args]);
  const show = spawnSync("terraform", ["show", "-json", "check.tfplan"], { cwd: work, env, encoding: "utf8", maxBuffer: 64 << 20 });
  if (show.status !== 0) fail("terraform show -json failed", show.stderr);
  const plan = JSON.parse(show.stdout);
  return Object.fromEntries((plan.resource_changes || []).map((c) => [c.address, c.change.actions.join(",")]));
}

/** Milliseconds from spawning provider.js to its handshake line (median of 3). */
async function startTime(name) {
  const { serverCert } = require("./provider");
  const { cert } = await serverCert();
  const times = [];
  for (let i = 0; i < 3; i++) {
    times.push(await new Promise((resolve, reject) => {
      const t = process.hrtime.bigint();
      const child = spawn(process.execPath, [path.join(__dirname, "provider.js"), name], {
        env: { ...env, TF_PLUGIN_MAGIC_COOKIE: "selftest", PLUGIN_CLIENT_CERT: cert }, stdio: ["ignore", "pipe", "ignore"],
      });
      child.stdout.once("data", (d) => {
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        if (!/^1\|6\|unix\|[^|]+\|grpc\|[A-Za-z0-9+/]+\n$/.test(String(d))) reject(new Error(`bad handshake line: ${d}`));
        process.kill(child.pid, "SIGTERM");
        resolve(ms);
      });
      child.on("error", reject);
    }));
  }
  return Math.round(times.sort((a, b) => a - b)[1]);
}

const config = {
  terraform: {
    required_providers: {
      dns: { source: "hashicorp/dns", version: "3.4.3" },
      databricks: { source: "databricks/databricks", version: "1.121.0" },
    },
  },
  provider: {
    dns: {},
    databricks: { host: "https://accounts.cloud.databricks.com", account_id: ACCOUNT_ID },
  },
  variable: {
    hosts: { type: "list(string)", default: ["db1.example.com", "db2.example.com"] },
    endpoint_service: { type: "string", default: SERVICE },
    domain_names: { type: "list(string)", default: ["db1.example.com", "db2.example.com"] },
  },
  data: {
    dns_a_record_set: { db: { for_each: "${toset(var.hosts)}", host: "${each.value}" } },
    databricks_mws_network_connectivity_configs: { all: { region: "us-east-1" } },
    databricks_mws_network_connectivity_config: {
      read: { for_each: "${toset(data.databricks_mws_network_connectivity_configs.all.names)}", name: "${each.value}" },
    },
  },
  resource: {
    databricks_mws_network_connectivity_config: { ncc: { name: "selftest-ncc", region: "us-east-1" } },
    databricks_mws_ncc_private_endpoint_rule: {
      rule: {
        network_connectivity_config_id: "${databricks_mws_network_connectivity_config.ncc.network_connectivity_config_id}",
        endpoint_service: "${var.endpoint_service}",
        domain_names: "${var.domain_names}",
      },
    },
    databricks_mws_ncc_binding: {
      ws: { network_connectivity_config_id: "${databricks_mws_network_connectivity_config.ncc.network_connectivity_config_id}", workspace_id: WORKSPACE },
    },
  },
  output: {
    addrs: { value: "${{ for k, d in data.dns_a_record_set.db : k => d.addrs }}" },
    rule: { value: "${databricks_mws_ncc_private_endpoint_rule.rule}" },
    ncc_id: { value: "${databricks_mws_network_connectivity_config.ncc.id}" },
    binding_id: { value: "${databricks_mws_ncc_binding.ws.id}" },
    read_rules: {
      value: "${flatten([for n in data.databricks_mws_network_connectivity_config.read : try(n.egress_config[0].target_rules[0].aws_private_endpoint_rules, [])])}",
    },
  },
};

const TFTEST = `run "apply" {
  command = apply

  assert {
    condition     = databricks_mws_ncc_private_endpoint_rule.rule.connection_state == "CREATING" && databricks_mws_ncc_private_endpoint_rule.rule.vpc_endpoint_id == ""
    error_message = "a new rule is CREATING without an endpoint"
  }
  assert {
    condition     = data.dns_a_record_set.db["db1.example.com"].addrs == tolist(["10.0.1.10", "10.0.2.10"])
    error_message = "addrs are not the fixture's, sorted"
  }
}
`;

async function main() {
  const schemaCheck = spawnSync(process.execPath, [path.join(__dirname, "check-schema.js")], { encoding: "utf8" });
  check(schemaCheck.status === 0, "check-schema.js: the generated schemas do not match the bindings", `${schemaCheck.stdout}${schemaCheck.stderr}`);

  const mirror = installMirror(path.join(dir, "mirror"));
  fs.writeFileSync(env.TF_CLI_CONFIG_FILE, cliConfig(mirror));
  fs.writeFileSync(env.STANDIN_DNS_FIXTURE, JSON.stringify({ "db1.example.com": ["10.0.2.10", "10.0.1.10"], "DB2.Example.COM.": ["10.0.3.5"] }));
  fs.mkdirSync(work);
  fs.writeFileSync(path.join(work, "main.tf.json"), JSON.stringify(config, null, 2));

  tf(["init", "-input=false"]);
  tf(["validate"]);
  tf(["plan", "-input=false"]);

  // First apply: Databricks answers the rule's creation without its endpoint.
  tf(["apply", "-auto-approve", "-input=false"]);
  let o = outputs();
  check(JSON.stringify(o.addrs) === JSON.stringify({ "db1.example.com": ["10.0.1.10", "10.0.2.10"], "db2.example.com": ["10.0.3.5"] }),
    `dns addrs should be the fixture's, sorted, hosts matched case-insensitively: ${JSON.stringify(o.addrs)}`);
  check(o.rule.vpc_endpoint_id === "" && o.rule.connection_state === "CREATING", `first apply: rule state should have vpc_endpoint_id "" and CREATING: ${JSON.stringify(o.rule)}`);
  check(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(o.rule.rule_id), `rule_id should be a UUID: ${o.rule.rule_id}`);
  check(o.rule.id === `${o.rule.network_connectivity_config_id}/${o.rule.rule_id}`, `rule id should be <ncc id>/<rule id>: ${o.rule.id}`);
  check(o.ncc_id === `${ACCOUNT_ID}/${o.rule.network_connectivity_config_id}`, `NCC id should be <account id>/<ncc id>: ${o.ncc_id}`);
  check(o.binding_id === `${WORKSPACE}/${o.rule.network_connectivity_config_id}`, `binding id should be <workspace id>/<ncc id>: ${o.binding_id}`);
  check(o.read_rules.length === 0, `first apply: no NCC existed at plan time, read_rules should be empty: ${JSON.stringify(o.read_rules)}`);
  const acc = account();
  const stored = Object.values(acc.nccs)[0];
  const storedRule = stored && stored.rules[o.rule.rule_id];
  check(storedRule && /^vpce-[0-9a-f]{17}$/.test(storedRule.vpc_endpoint_id) && storedRule.connection_state === "PENDING",
    `account file should hold the rule PENDING with a vpce id: ${JSON.stringify(acc)}`);
  check(acc.bindings[String(WORKSPACE)] === o.rule.network_connectivity_config_id, `account file should bind the workspace: ${JSON.stringify(acc.bindings)}`);

  // Second apply: the data source reads the rule back with its endpoint; nothing changes.
  const second = tf(["apply", "-auto-approve", "-input=false"]);
  check(/Resources: 0 added, 0 changed, 0 destroyed/.test(second), "second apply should change no resource", second);
  o = outputs();
  check(o.read_rules.length === 1 && o.read_rules[0].vpc_endpoint_id === storedRule.vpc_endpoint_id && o.read_rules[0].rule_id ===
    o.rule.rule_id,
    `second apply: data source should show the rule with its vpce id: ${JSON.stringify(o.read_rules)}`);
  check(JSON.stringify(o.read_rules[0].domain_names) === JSON.stringify(["db1.example.com", "db2.example.com"]) && o.read_rules[0].endpoint_service === SERVICE,
    `read rule should carry the domain names and service: ${JSON.stringify(o.read_rules[0])}`);
  check(o.rule.vpc_endpoint_id === storedRule.vpc_endpoint_id, `after refresh the rule's state should have the endpoint id: ${JSON.stringify(o.rule)}`);

  // In-place update vs replace.
  const rule = "databricks_mws_ncc_private_endpoint_rule.rule";
  let actions = planActions(["-var", 'domain_names=["db1.example.com","db2.example.com","db3.example.com"]']);
  check(actions[rule] === "update", `a domain_names change should update in place: ${JSON.stringify(actions)}`);
  check(actions["databricks_mws_network_connectivity_config.ncc"] === "no-op", `the NCC should not change: ${JSON.stringify(actions)}`);
  actions = planActions(["-var", `endpoint_service=${OTHER_SERVICE}`]);
  check(actions[rule] === "delete,create", `an endpoint_service change should replace the rule: ${JSON.stringify(actions)}`);

  // A host missing from the fixture fails the plan like a failed lookup.
  const missing = tf(["plan", "-var", 'hosts=["db1.example.com","missing.example.com"]'], { fails: true });
  check(/lookup missing\.example\.com: no such host/.test(missing), "a host missing from the fixture should fail with `no such host`", missing);

  // Destroy as the real provider does it: the binding's delete does nothing, and an NCC that still
  // holds rules or that a workspace is bound to is not deleted.
  const nccId = o.rule.network_connectivity_config_id;
  const refused = (why) => `cannot delete mws network connectivity config: Network Connectivity Config ${nccId} is unable to be deleted because it ${why}`;
  tf(["state", "rm", rule]); // the rule stays in the account, out of Terraform's reach
  let destroy = tf(["destroy", "-auto-approve", "-input=false"], { fails: true }).replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");
  check(destroy.includes(refused("has one or more private endpoint rules.")), "deleting an NCC with a rule should fail with the API's message", destroy);
  check(/databricks_mws_ncc_binding\.ws: Destruction complete/.test(destroy), "the binding should be destroyed (a no-op) before the NCC", destroy);
  let acc2 = account();
  check(acc2.nccs[nccId] && acc2.bindings[String(WORKSPACE)] === nccId, `the NCC should stay, and the workspace stay bound: ${JSON.stringify(acc2)}`);
  delete acc2.nccs[nccId].rules[o.rule.rule_id]; // the rule deleted by hand
  fs.writeFileSync(accountFile, JSON.stringify(acc2));
  destroy = tf(["destroy", "-auto-approve", "-input=false"], { fails: true }).replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");
  check(destroy.includes(refused(`is attached to one or more workspaces: ${WORKSPACE}`)), "deleting an NCC a workspace is bound to should fail with the API's message", destroy);
  // A workspace cannot be unbound, only bound to another NCC; then the NCC can go.
  acc2 = account();
  acc2.nccs["0e0e0e0e-0000-4000-8000-000000000005"] = { name: "landing-ncc", region: "us-east-1" };
  acc2.bindings[String(WORKSPACE)] = "0e0e0e0e-0000-4000-8000-000000000005";
  fs.writeFileSync(accountFile, JSON.stringify(acc2));
  tf(["destroy", "-auto-approve", "-input=false"]);
  const after = account();
  check(JSON.stringify(Object.values(after.nccs).map((n) => n.name)) === '["landing-ncc"]' && after.bindings[String(WORKSPACE)] === "0e0e0e0e-0000-4000-8000-000000000005",
    `destroy should delete the NCC, leaving the other NCC and the workspace bound to it: ${JSON.stringify(after)}`);

  // terraform test with the stand-ins (without the binding: its teardown could not delete the NCC).
  delete config.resource.databricks_mws_ncc_binding;
  delete config.output.binding_id;
  fs.writeFileSync(path.join(work, "main.tf.json"), JSON.stringify(config, null, 2));
  fs.mkdirSync(path.join(work, "tests"));
  fs.writeFileSync(path.join(work, "tests", "selftest.tftest.hcl"), TFTEST);
  const test = tf(["test"]);
  check(/1 passed, 0 failed/.test(test), "terraform test should pass", test);
  check(!Object.values(account().nccs).some((n) => n.name === "selftest-ncc"), "terraform test should destroy what it created");

  const dnsStart = await startTime("dns");
  const dbStart = await startTime("databricks");
  if (process.argv.includes("--keep")) console.log(`files kept in ${dir} (env: TF_CLI_CONFIG_FILE=${env.TF_CLI_CONFIG_FILE} STANDIN_DNS_FIXTURE=${env.STANDIN_DNS_FIXTURE} STANDIN_DATABRICKS_ACCOUNT=${accountFile})`);
  else fs.rmSync(dir, { recursive: true, force: true });
  console.log(`standin selftest: PASS (${checks} checks) in ${((Date.now() - started) / 1000).toFixed(1)} s; provider start to handshake: dns ${dnsStart} ms, databricks ${dbStart} ms`);
}

main().catch((e) => fail(e && e.stack));
