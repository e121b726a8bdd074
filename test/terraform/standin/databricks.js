// Behaviour of the stand-in databricks/databricks provider: a fake account holding NCCs, their
// private endpoint rules and workspace bindings, persisted in a JSON file between Terraform runs.
"use strict";

/*
 * Account file: env STANDIN_DATABRICKS_ACCOUNT (read at each call, rewritten after each change;
 * unset: one in-memory account per provider process). Format (tests may pre-write it):
 * {
 *   "nccs": {
 *     "<ncc id>": {
 *       "name": "ncc-a", "region": "us-east-1", "account_id": "<account id>",
 *       "network_connectivity_config_id": "<ncc id>", "creation_time": 1700000000000, "updated_time": 1700000000000,
 *       "rules": {
 *         "<rule id>": {
 *           "rule_id": "<rule id>", "network_connectivity_config_id": "<ncc id>", "account_id": "<account id>",
 *           "endpoint_service": "com.amazonaws.vpce.us-east-1.vpce-svc-...", "domain_names": ["db.example.com"],
 *           "resource_names": null, "vpc_endpoint_id": "vpce-0123456789abcdef0", "connection_state": "PENDING",
 *           "enabled": true, "deactivated": false, "deactivated_at": null, "creation_time": 0, "updated_time": 0
 *         }
 *       }
 *     }
 *   },
 *   "bindings": { "<workspace id>": "<ncc id>" }
 * }
 * Rule fields are the schema's attribute names (any of them; absent ones read as null). Only
 * "name" and "region" are needed in an NCC, and nothing in a rule: ids default to the map keys.
 * connection_state values used: "CREATING" (create response only), "PENDING" (stored at create);
 * a test can set "ESTABLISHED" etc. in the file.
 * Deleting an NCC that holds rules or that a workspace is bound to fails; deleting a binding does
 * nothing (both as the real provider and API do), so tests unbind a workspace by binding it to
 * another NCC, in the file or with a binding resource.
 * Ids are deterministic: UUID-shaped hashes of (account, name, region) for NCCs and (NCC, service,
 * domain names) for rules; vpc endpoint ids are "vpce-" + 17 hex of a hash of the rule id.
 */

const crypto = require("crypto");
const fs = require("fs");
const { bigintAsText } = require("./cty");

let memory = { nccs: {}, bindings: {} };

/** Reads the account (normalised: ids filled from keys, rules default to {}). */
function load() {
  const file = process.env.STANDIN_DATABRICKS_ACCOUNT;
  let acc = memory;
  if (file) {
    acc = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8") || "{}") : {};
  }
  acc.nccs = acc.nccs || {};
  acc.bindings = acc.bindings || {};
  for (const [id, ncc] of Object.entries(acc.nccs)) {
    ncc.network_connectivity_config_id = ncc.network_connectivity_config_id || id;
    ncc.rules = ncc.rules || {};
    for (const [rid, r] of Object.entries(ncc.rules)) {
      r.rule_id = r.rule_id || rid;
      r.network_connectivity_config_id = r.network_connectivity_config_id || id;
    }
  }
  return acc;
}

/** Writes the account (atomically) or keeps it in memory. */
function save(acc) {
  const file = process.env.STANDIN_DATABRICKS_ACCOUNT;
  if (!file) {
    memory = acc;
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(acc, bigintAsText, 2) + "\n");
  fs.renameSync(tmp, file);
}

const sha = (...parts) => crypto.createHash("sha256").update(parts.join("\u0000")).digest("hex");

/** A UUID-shaped id from a hash of `parts`, distinct from `taken`. */
function newId(taken, ...parts) {
  for (let n = 0; ; n++) {
    const h = sha(...parts, n === 0 ? "" : String(n));
    const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    if (!taken.has(id)) return id;
  }
}

/** The value unless it is unknown or null. */
const known = (ctx, v) => (v === ctx.UNKNOWN || v === null || v === undefined ? undefined : v);

/** The NCC of an id, or a failure `NCC <id> not found`. */
function nccOf(ctx, acc, id) {
  const ncc = acc.nccs[id];
  if (!ncc) ctx.fail(`NCC ${id} not found`, `The stand-in Databricks account has no network connectivity config ${id}.`);
  return ncc;
}

/** egress_config as the API returns it: the NCC's AWS private endpoint rules, sorted by rule id. */
function egressConfig(ncc) {
  const rules = Object.values(ncc.rules).sort((a, b) => (a.rule_id < b.rule_id ? -1 : a.rule_id > b.rule_id ? 1 : 0));
  return [{ default_rules: [], target_rules: [{ aws_private_endpoint_rules: rules, azure_private_endpoint_rules: [] }] }];
}

/** NCC attributes as the API returns them (resource and data source share the names). */
function nccAttrs(ncc) {
  return {
    account_id: ncc.account_id === undefined ? null : ncc.account_id,
    name: ncc.name,
    region: ncc.region,
    network_connectivity_config_id: ncc.network_connectivity_config_id,
    creation_time: ncc.creation_time === undefined ? null : ncc.creation_time,
    updated_time: ncc.updated_time === undefined ? null : ncc.updated_time,
    egress_config: egressConfig(ncc),
  };
}

/** Empty LIST block value from config means "not set". */
const unset = (v) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

const ncc = {
  forceNew: ["name", "region"],
  /** egress_config is Optional+Computed in the real (SDKv2) provider: left out of config, it is the API's. */
  plan(ctx) {
    const planned = { ...ctx.planned };
    if (unset(ctx.config.egress_config)) planned.egress_config = ctx.prior ? ctx.prior.egress_config : ctx.UNKNOWN;
    return planned;
  },
  create(ctx) {
    const p = ctx.planned;
    const acc = load();
    const accountId = known(ctx, p.account_id) || ctx.providerConfig.account_id;
    if (!accountId) ctx.fail("account_id is not set", "Set account_id in the databricks provider configuration (account-level provider).");
    const dup = Object.values(acc.nccs).find((n) => n.name === p.name && n.region === p.region);
    if (dup) ctx.fail(`NCC with name ${p.name} already exists`, `Network connectivity config ${dup.network_connectivity_config_id} has the name ${p.name} in ${p.region}.`);
    const id = newId(new Set(Object.keys(acc.nccs)), "ncc", accountId, p.name, p.region);
    const now = Date.now();
    acc.nccs[id] =
      { name: p.name, region: p.region, account_id: accountId, network_connectivity_config_id: id, creation_time: now, updated_time: now,
        rules: {} };
    save(acc);
    const api = nccAttrs(acc.nccs[id]);
    return { ...p, ...api, egress_config: p.egress_config === ctx.UNKNOWN ? api.egress_config : p.egress_config, id: `${accountId}/${id}` };
  },
  read(ctx) {
    const id = ctx.current.network_connectivity_config_id || String(ctx.current.id || "").split("/").pop();
    const found = load().nccs[id];
    return found ? { ...ctx.current, ...nccAttrs(found), id: `${found.account_id}/${id}` } : null;
  },
  /**
   * As the real API: an NCC that still holds rules, or that any workspace is bound to, is not
   * deleted. terraform-provider-databricks #5292 (open) quotes the API's errors, "has one or more
   * private endpoint rules" / "attached to one or more workspaces", and the unmerged retry fix,
   * PR #5648, tests them as "Network Connectivity Config <id> is unable to be deleted because it
   * has one or more private endpoint rules." and "... because it is attached to one or more
   * workspaces: <ids>"; the provider makes no retry and prefixes "cannot delete mws network
   * connectivity config: " (common/resource.go nicerError), as a summary without detail. Which
   * check the API makes first is not known: rules here.
   */
  delete(ctx) {
    const acc = load();
    const id = ctx.prior.network_connectivity_config_id;
    const found = acc.nccs[id];
    if (!found) return;
    const refused = (why) => ctx.fail(`cannot delete mws network connectivity config: Network Connectivity Config ${id} is unable to be deleted because it ${why}`, "");
    if (Object.keys(found.rules).length > 0) refused("has one or more private endpoint rules.");
    const bound = Object.entries(acc.bindings).filter(([, ncc]) => ncc === id).map(([ws]) => ws).sort();
    if (bound.length > 0) refused(`is attached to one or more workspaces: ${bound.join(", ")}`);
    delete acc.nccs[id];
    save(acc);
  },
  /** `terraform import` with the id `<account id>/<ncc id>`, as the real provider takes it. */
  import(ctx) {
    const [accountId, id] = ctx.id.split("/");
    const found = load().nccs[id];
    if (!id || !found) ctx.fail(`NCC ${ctx.id} not found`, "Import an NCC by \"<account id>/<ncc id>\"; the stand-in Databricks account has no such NCC.");
    const empty = Object.fromEntries(Object.keys(ctx.block.attributes).map((n) => [n, null]));
    return { ...empty, ...nccAttrs(found), account_id: found.account_id || accountId, id: ctx.id };
  },
};

/** Rule ids from a state: attributes, else the `<ncc id>/<rule id>` id. */
function ruleIds(s) {
  const [nccId, ruleId] = String(s.id || "").split("/");
  return { nccId: s.network_connectivity_config_id || nccId, ruleId: s.rule_id || ruleId };
}

const rule = {
  forceNew: ["network_connectivity_config_id", "endpoint_service", "group_id", "resource_id"],
  /** Databricks creates the endpoint later: stored PENDING with an endpoint id, answered CREATING with "". */
  create(ctx) {
    const p = ctx.planned;
    const acc = load();
    const owner = nccOf(ctx, acc, p.network_connectivity_config_id);
    const nccId = owner.network_connectivity_config_id;
    const taken = new Set(Object.values(acc.nccs).flatMap((n) => Object.keys(n.rules)));
    const ruleId = newId(taken, "rule", nccId, p.endpoint_service || "", JSON.stringify(p.domain_names || p.resource_names || []));
    const now = Date.now();
    const stored = {
      rule_id: ruleId,
      network_connectivity_config_id: nccId,
      account_id: owner.account_id === undefined ? null : owner.account_id,
      endpoint_service: p.endpoint_service,
      domain_names: p.domain_names,
      resource_names: p.resource_names,
      group_id: p.group_id,
      resource_id: p.resource_id,
      vpc_endpoint_id: `vpce-${sha("vpce", ruleId).slice(0, 17)}`,
      connection_state: "PENDING",
      enabled: known(ctx, p.enabled) === undefined ? true : p.enabled,
      deactivated: false,
      deactivated_at: null,
      creation_time: now,
      updated_time: now,
    };
    owner.rules[ruleId] = stored;
    save(acc);
    return {
      ...p,
      rule_id: ruleId,
      id: `${nccId}/${ruleId}`,
      vpc_endpoint_id: "",
      connection_state: "CREATING",
      enabled: stored.enabled,
      endpoint_name: known(ctx, p.endpoint_name) === undefined ? "" : p.endpoint_name,
      creation_time: now,
      updated_time: now,
    };
  },
  /** domain_names, resource_names and enabled update in place. */
  update(ctx) {
    const acc = load();
    const { nccId, ruleId } = ruleIds(ctx.prior);
    const stored = nccOf(ctx, acc, nccId).rules[ruleId];
    if (!stored) ctx.fail(`private endpoint rule ${ruleId} not found`, `NCC ${nccId} has no rule ${ruleId}.`);
    for (const k of ["domain_names", "resource_names", "enabled"]) {
      if (known(ctx, ctx.planned[k]) !== undefined || ctx.planned[k] === null) stored[k] = ctx.planned[k];
    }
    stored.updated_time = Date.now();
    save(acc);
    return ctx.planned;
  },
  /** From the account: computed attributes always, the others when they are set in the state. */
  read(ctx) {
    const { nccId, ruleId } = ruleIds(ctx.current);
    const owner = load().nccs[nccId];
    const stored = owner && owner.rules[ruleId];
    if (!stored) return null;
    const out = { ...ctx.current, id: `${nccId}/${ruleId}` };
    for (const [n, a] of Object.entries(ctx.block.attributes)) {
      if (!(n in stored)) continue;
      if (a.computed ? stored[n] !== null : ctx.current[n] !== null) out[n] = stored[n];
    }
    return out;
  },
  delete(ctx) {
    const acc = load();
    const { nccId, ruleId } = ruleIds(ctx.prior);
    if (acc.nccs[nccId]) delete acc.nccs[nccId].rules[ruleId];
    save(acc);
  },
};

/**
 * As the real provider (mws/resource_mws_ncc_binding.go): create and update set the workspace's
 * NCC (binding another NCC replaces the binding: network_connectivity_config_id updates in place);
 * read and delete do nothing ("Cannot remove network connectivity config binding, only update is
 * supported"), so a destroyed binding leaves the workspace bound in the account, and a workspace
 * cannot be unbound at all (terraform-provider-databricks #3741, databricks-sdk-go #1030).
 */
const binding = {
  forceNew: ["workspace_id"],
  create(ctx) {
    const p = ctx.planned;
    const acc = load();
    nccOf(ctx, acc, p.network_connectivity_config_id);
    acc.bindings[String(p.workspace_id)] = p.network_connectivity_config_id;
    save(acc);
    return { ...p, id: `${p.workspace_id}/${p.network_connectivity_config_id}` };
  },
  update(ctx) {
    return binding.create(ctx);
  },
  /** Nothing is read: the state stays as it is, whatever the account says. */
  read(ctx) {
    return ctx.current;
  },
  /** Nothing is deleted: the workspace stays bound. */
  delete(ctx) {
    ctx.log(`binding delete: a no-op, workspace ${ctx.prior.workspace_id} stays bound to ${load().bindings[String(ctx.prior.workspace_id)]}`);
  },
};

module.exports = {
  /** The real provider is SDKv2-based: Terraform tolerates its legacy type system quirks. */
  legacy: true,
  resources: {
    databricks_mws_network_connectivity_config: ncc,
    databricks_mws_ncc_private_endpoint_rule: rule,
    databricks_mws_ncc_binding: binding,
  },
  dataSources: {
    /** Names of the account's NCCs, in `region` when given, sorted. */
    databricks_mws_network_connectivity_configs(ctx) {
      const region = ctx.config.region;
      const names = Object.values(load().nccs).filter((n) => !region || n.region === region).map((n) => n.name).sort();
      return { ...ctx.config, names, id: "_" };
    },
    /** The NCC named `name`, with its rules in egress_config[0].target_rules[0].aws_private_endpoint_rules. */
    databricks_mws_network_connectivity_config(ctx) {
      const found = Object.values(load().nccs).find((n) => n.name === ctx.config.name);
      if (!found) ctx.fail(`NCC with name ${ctx.config.name} not found`, "The stand-in Databricks account has no network connectivity config with that name.");
      return { ...ctx.config, ...nccAttrs(found), id: found.network_connectivity_config_id };
    },
  },
};
