// Stand-in Terraform provider (go-plugin + tfplugin6 over gRPC) for tests without the real provider.
// Usage (by Terraform, through mirror.js): node provider.js <dns|databricks>
"use strict";

/*
 * Start-up: prints `1|6|unix|<socket>|grpc|<server cert, base64 DER without padding>` on stdout and
 * serves gRPC (TLS, client certificate from PLUGIN_CLIENT_CERT required) on that unix socket.
 * Schemas come from the cdktf bindings (schema.js). Generic behaviour for every type:
 * - Plan: create -> computed attributes null in config become unknown; update -> Terraform's proposed
 *   state (computed attributes keep their prior value); destroy -> null; requires_replace lists the
 *   type's forceNew attributes that change.
 * - Apply: unknowns get a value of their type (cty.fillUnknown); delete -> null.
 * - Read: state unchanged. Data sources: config with computed attributes filled.
 * Type-specific behaviour (dns.js, databricks.js) hooks in through `hooks` objects:
 *   { legacy?: bool, configure?(config), resources: { type: { forceNew?, plan?, create?, update?, delete?, read? } },
 *     dataSources: { type: (ctx) => state } }
 * Errors are ERROR diagnostics; logs go to stderr (Terraform's TF_LOG), only the handshake to stdout.
 */

const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");
const cty = require("./cty");
const { loadSchema, cacheFile, protoBlock } = require("./schema");

/** An error reported to Terraform as an ERROR diagnostic (summary + detail, no stack). */
class ProviderError extends Error {
  /** @param {string} summary @param {string} [detail] */
  constructor(summary, detail = "") {
    super(summary);
    this.detail = detail;
  }
}

/**
 * The server's key and self-signed certificate (CN and SAN localhost), cached in os.tmpdir():
 * loading the generator costs ~200 ms, more than Terraform should wait at every provider start.
 * @returns {Promise<{key: string, cert: string}>}
 */
async function serverCert() {
  const uid = typeof process.getuid === "function" ? process.getuid() : "u";
  const file = path.join(os.tmpdir(), `tf-standin-cert-${uid}.json`);
  try {
    const mine = typeof process.getuid !== "function" || fs.statSync(file).uid === process.getuid();
    const c = JSON.parse(fs.readFileSync(file, "utf8"));
    if (mine && c.key && c.cert && c.notAfter > Date.now() + 86400e3) return c;
  } catch {
    // no usable cache: generate below
  }
  const selfsigned = require("selfsigned");
  const notAfter = Date.now() + 365 * 86400e3;
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - 3600e3),
    notAfterDate: new Date(notAfter),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true, clientAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] },
    ],
  });
  const c = { key: pems.private, cert: pems.cert, notAfter };
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(c), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // cache is an optimisation only
  }
  return c;
}

/**
 * The gRPC service implementations of a provider.
 * @param {string} name provider name (for logs)
 * @param {import("./schema").ProviderSchema} schema
 * @param {object} hooks type-specific behaviour
 * @param {(msg: string) => void} log
 */
function makeProvider(name, schema, hooks, log) {
  const state = { config: null };
  const resources = hooks.resources || {};
  const dataSources = hooks.dataSources || {};
  const legacy = !!hooks.legacy;
  let schemaResponse = null;

  const resourceBlock = (type) => {
    const b = schema.resources[type];
    if (!b) throw new ProviderError(`unknown resource type ${type}`, `The stand-in ${name} provider has no schema for ${type}.`);
    return b;
  };
  const dataBlock = (type) => {
    const b = schema.dataSources[type];
    if (!b) throw new ProviderError(`unknown data source ${type}`, `The stand-in ${name} provider has no schema for ${type}.`);
    return b;
  };
  /** Context handed to hooks. */
  const context = (type, block, extra) => ({
    type, block, providerConfig: state.config || {}, UNKNOWN: cty.UNKNOWN, log,
    fail: (summary, detail) => { throw new ProviderError(summary, detail); },
    ...extra,
  });
  const seedOf = (type, v) => `${name}:${type}:${cty.show(v)}`;

  /** @type {Object<string, (req: any) => any>} */
  const rpcs = {
    GetMetadata() {
      return {
        server_capabilities: { plan_destroy: true, get_provider_schema_optional: true },
        resources: Object.keys(schema.resources).map((type_name) => ({ type_name })),
        data_sources: Object.keys(schema.dataSources).map((type_name) => ({ type_name })),
        diagnostics: [],
      };
    },
    GetProviderSchema() {
      if (!schemaResponse) {
        const conv = (blocks) => Object.fromEntries(Object.entries(blocks).map(([t, b]) => [t, { version: 0, block: protoBlock(b) }]));
        schemaResponse = {
          provider: { version: 0, block: protoBlock(schema.provider) },
          resource_schemas: conv(schema.resources),
          data_source_schemas: conv(schema.dataSources),
          server_capabilities: { plan_destroy: true, get_provider_schema_optional: true },
          diagnostics: [],
        };
      }
      return schemaResponse;
    },
    ValidateProviderConfig: () => ({ diagnostics: [] }),
    ValidateResourceConfig: () => ({ diagnostics: [] }),
    ValidateDataResourceConfig: () => ({ diagnostics: [] }),
    ConfigureProvider(req) {
      state.config = cty.decodeDV(schema.provider, req.config) || {};
      if (hooks.configure) hooks.configure(state.config);
      log(`configured: ${cty.show(state.config)}`);
      return { diagnostics: [] };
    },
    UpgradeResourceState(req) {
      const block = resourceBlock(req.type_name);
      const raw = req.raw_state || {};
      if (!raw.json || !raw.json.length) {
        if (raw.flatmap && Object.keys(raw.flatmap).length) throw new ProviderError("legacy flatmap state is not supported by the stand-in provider");
        return { upgraded_state: cty.encodeDV(block, null), diagnostics: [] };
      }
      const value = cty.fromWire(cty.impliedType(block), JSON.parse(Buffer.from(raw.json).toString("utf8")));
      return { upgraded_state: cty.encodeDV(block, value), diagnostics: [] };
    },
    PlanResourceChange(req) {
      const type = req.type_name;
      const block = resourceBlock(type);
      const hook = resources[type] || {};
      const prior = cty.decodeDV(block, req.prior_state);
      const proposed = cty.decodeDV(block, req.proposed_new_state);
      const config = cty.decodeDV(block, req.config);
      let planned = proposed === null ? null : prior === null ? cty.markComputedUnknown(block, proposed) : proposed;
      if (planned !== null && hook.plan) planned = hook.plan(context(type, block, { prior, config, planned }));
      const replace = prior !== null && planned !== null
        ? (hook.forceNew || []).filter((a) => !cty.equal(prior[a], planned[a])).map((a) => ({ steps: [{ attribute_name: a }] }))
        : [];
      log(`plan ${type}: ${prior === null ? "create" : planned === null ? "delete" : replace.length ? "replace" : "update"} ${cty.show(planned)}`);
      return { planned_state: cty.encodeDV(block, planned), requires_replace: replace, planned_private: req.prior_private,
        legacy_type_system: legacy, diagnostics: [] };
    },
    ApplyResourceChange(req) {
      const type = req.type_name;
      const block = resourceBlock(type);
      const hook = resources[type] || {};
      const prior = cty.decodeDV(block, req.prior_state);
      const planned = cty.decodeDV(block, req.planned_state);
      const config = cty.decodeDV(block, req.config);
      const ctx = context(type, block, { prior, planned, config });
      let next = null;
      if (planned === null) {
        if (hook.delete) hook.delete(ctx);
      } else {
        next = prior === null ? (hook.create ? hook.create(ctx) : planned) : (hook.update ? hook.update(ctx) : planned);
        next = cty.fillUnknown(cty.impliedType(block), next, seedOf(type, config));
      }
      log(`apply ${type}: ${prior === null ? "create" : planned === null ? "delete" : "update"} -> ${cty.show(next)}`);
      return { new_state: cty.encodeDV(block, next), private: req.planned_private, legacy_type_system: legacy, diagnostics: [] };
    },
    ReadResource(req) {
      const type = req.type_name;
      const block = resourceBlock(type);
      const hook = resources[type] || {};
      const current = cty.decodeDV(block, req.current_state);
      const next = hook.read && current !== null ? hook.read(context(type, block, { current })) : current;
      log(`read ${type}: ${cty.show(next)}`);
      return { new_state: cty.encodeDV(block, next), private: req.private, diagnostics: [] };
    },
    ReadDataSource(req) {
      const type = req.type_name;
      const block = dataBlock(type);
      const config = cty.decodeDV(block, req.config);
      const read = dataSources[type];
      const result = read ? read(context(type, block, { config })) : cty.markComputedUnknown(block, config);
      const filled = cty.fillUnknown(cty.impliedType(block), result, seedOf(type, config));
      log(`data ${type}: ${cty.show(filled)}`);
      return { state: cty.encodeDV(block, filled), diagnostics: [] };
    },
    /** With an `import(ctx)` hook (ctx.id): the state it returns, which Terraform then reads (ReadResource). */
    ImportResourceState(req) {
      const type = req.type_name;
      const block = resourceBlock(type);
      const hook = resources[type] || {};
      if (!hook.import) throw new ProviderError(`import is not supported by the stand-in ${name} provider`, `Cannot import ${type} "${req.id}".`);
      const state = hook.import(context(type, block, { id: req.id }));
      log(`import ${type} ${req.id}: ${cty.show(state)}`);
      return { imported_resources: [{ type_name: type, state: cty.encodeDV(block, state), private: Buffer.alloc(0) }], diagnostics: [] };
    },
    StopProvider: () => ({ Error: "" }),
  };

  // Every RPC answers; failures become diagnostics.
  const impl = {};
  for (const [rpc, fn] of Object.entries(rpcs)) {
    impl[rpc] = (call, callback) => {
      try {
        callback(null, fn(call.request));
      } catch (e) {
        const diag = e instanceof ProviderError
          ? { severity: "ERROR", summary: e.message, detail: e.detail }
          : { severity: "ERROR", summary: `stand-in ${name} provider: ${rpc} failed: ${e && e.message}`, detail: `${rpc}${call.request && call.request.type_name ? ` (${call.request.type_name})` : ""}: ${e && e.stack}` };
        log(`${rpc} error: ${diag.summary} ${diag.detail}`);
        callback(null, { diagnostics: [diag] });
      }
    };
  }
  return impl;
}

/** Loads the .proto files of this directory. */
function loadProtos() {
  const opts = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };
  return grpc.loadPackageDefinition(protoLoader.loadSync([path.join(__dirname, "tfplugin6.proto"), path.join(__dirname, "goplugin.proto")], opts));
}

/** Hooks of a provider name (generic behaviour only for other names). */
function hooksFor(name) {
  return name === "dns" ? require("./dns") : name === "databricks" ? require("./databricks") : {};
}

async function main() {
  const name = process.argv[2];
  const log = (msg) => process.stderr.write(`[standin-${name}] ${msg}\n`);
  if (!name) {
    process.stderr.write("usage: node provider.js <dns|databricks>\n");
    process.exit(2);
  }
  if (!process.env.TF_PLUGIN_MAGIC_COOKIE) {
    process.stderr.write(`This is a stand-in Terraform provider (${name}); Terraform starts it. Install it with mirror.js (installMirror) and run terraform.\n`);
    process.exit(1);
  }
  process.on("SIGINT", () => log("SIGINT ignored (Terraform stops plugins through GRPCController.Shutdown)"));

  const schema = loadSchema(name);
  const protos = loadProtos();
  const server = new grpc.Server({ "grpc.max_receive_message_length": 256 << 20, "grpc.max_send_message_length": 256 << 20 });
  const service = protos.tfplugin6.Provider.service;
  // Encoding the databricks schema costs ~100 ms per process: reuse the bytes across processes.
  const serialize = service.GetProviderSchema.responseSerialize;
  const pbKey = crypto.createHash("sha256").update(fs.readFileSync(path.join(__dirname, "tfplugin6.proto"))).update(fs.readFileSync(__filename));
  const pb = `${cacheFile(name)}.${pbKey.digest("hex").slice(0, 8)}.pb`;
  service.GetProviderSchema.responseSerialize = (v) => {
    if (v.diagnostics && v.diagnostics.length) return serialize(v);
    try {
      return fs.readFileSync(pb);
    } catch {
      const bytes = serialize(v);
      try {
        fs.writeFileSync(`${pb}.${process.pid}.tmp`, bytes);
        fs.renameSync(`${pb}.${process.pid}.tmp`, pb);
      } catch (e) {
        log(`schema bytes not cached: ${e.message}`);
      }
      return bytes;
    }
  };
  server.addService(service, makeProvider(name, schema, hooksFor(name), log));

  const dir = fs.mkdtempSync(path.join(process.env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir(), "plugin"));
  const sock = path.join(dir, "tf.sock");
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  const exit = (code) => {
    cleanup();
    process.exit(code);
  };
  server.addService(protos.plugin.GRPCController.service, {
    Shutdown: (call, callback) => {
      log("shutdown");
      callback(null, {});
      setTimeout(() => exit(0), 10);
    },
  });
  process.on("SIGTERM", () => exit(0));
  // Exit when Terraform goes away without calling Shutdown.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && exit(0), 1000).unref();

  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  let creds = grpc.ServerCredentials.createInsecure();
  let certField = "";
  if (clientCert) {
    const { key, cert } = await serverCert();
    creds = grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: Buffer.from(key), cert_chain: Buffer.from(cert) }],
      true);
    certField = `|${cert.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "").replace(/=+$/, "")}`;
  }
  server.bindAsync(`unix:${sock}`, creds, (err) => {
    if (err) {
      log(`cannot listen on ${sock}: ${err.message}`);
      exit(1);
    }
    process.stdout.write(`1|6|unix|${sock}|grpc${certField}\n`);
    log(`serving ${schema.package}@${schema.version} schemas (${Object.keys(schema.resources).length} resources, ${Object.keys(schema.dataSources).length} data sources) on ${sock}`);
  });
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`[standin] fatal: ${e && e.stack}\n`);
    process.exit(1);
  });
}

module.exports = { makeProvider, loadProtos, serverCert, ProviderError };
