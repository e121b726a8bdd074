// Behaviour of the stand-in hashicorp/dns provider: data "dns_a_record_set" answers from a fixture.
// Fixture: env STANDIN_DNS_FIXTURE names a JSON file { "<host>": ["<ipv4>", ...] }, read at each call.
"use strict";

const fs = require("fs");

/** Host names compare case-insensitively, without a trailing dot. */
const norm = (h) => String(h).toLowerCase().replace(/\.$/, "");

/**
 * The fixture's addresses for a host, or undefined when the host (or the fixture) is missing.
 * @param {string} host
 * @param {(summary: string, detail?: string) => never} fail
 * @returns {string[]|undefined}
 */
function lookup(host, fail) {
  const file = process.env.STANDIN_DNS_FIXTURE;
  if (!file || !fs.existsSync(file)) return undefined;
  let fixture;
  try {
    fixture = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    fail("stand-in dns: unreadable fixture", `STANDIN_DNS_FIXTURE=${file}: ${e.message}`);
  }
  const key = Object.keys(fixture).find((k) => norm(k) === norm(host));
  return key === undefined ? undefined : [].concat(fixture[key]).map(String);
}

module.exports = {
  dataSources: {
    /** addrs sorted like the real provider; id = host; a missing host fails like a failed lookup. */
    dns_a_record_set(ctx) {
      const host = ctx.config.host;
      const addrs = lookup(host, ctx.fail);
      if (addrs === undefined) ctx.fail(`error looking up A records for "${host}"`, `lookup ${host}: no such host`);
      return { ...ctx.config, addrs: [...addrs].sort(), id: host };
    },
  },
};
