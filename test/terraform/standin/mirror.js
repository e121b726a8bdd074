// Lays out a Terraform unpacked filesystem mirror whose hashicorp/dns and databricks/databricks
// providers are the stand-ins of provider.js (shell wrappers that exec node).
"use strict";

/*
 * Usage:
 *   const { installMirror } = require("./test/terraform/standin/mirror");
 *   const dir = installMirror("/tmp/x/mirror");                 // or installMirror(dir, { dns: ["3.4.3"], databricks: ["1.121.0",
 * "1.99.0"] })
 *   fs.writeFileSync("/tmp/x/cli.tfrc", cliConfig(dir));        // provider_installation below
 *   env: TF_CLI_CONFIG_FILE=/tmp/x/cli.tfrc, TF_PLUGIN_CACHE_DIR unset, CHECKPOINT_DISABLE=1,
 *        TF_IN_AUTOMATION=1, STANDIN_DNS_FIXTURE=<hosts.json>, STANDIN_DATABRICKS_ACCOUNT=<account.json>
 *   then terraform init / validate / plan / apply / test as usual.
 * The CLI configuration (cliConfig(dir)) is:
 *   provider_installation {
 *     filesystem_mirror {
 *       path    = "<dir>"
 *       include = ["registry.terraform.io/hashicorp/dns", "registry.terraform.io/databricks/databricks"]
 *     }
 *     filesystem_mirror {
 *       path    = "/opt/tf-plugins"     # the real hashicorp/aws 5.100.0
 *       include = ["registry.terraform.io/hashicorp/aws"]
 *     }
 *   }
 * (If the aws provider moved: find / -name 'terraform-provider-aws_v*'.) The configuration's
 * required_providers versions must be among the mirrored versions. The wrappers name this
 * directory by absolute path: re-run installMirror if the repository moves.
 */

const fs = require("fs");
const path = require("path");

const DEFAULT_VERSIONS = { dns: ["3.4.3"], databricks: ["1.121.0"] };
const SOURCES = { dns: "registry.terraform.io/hashicorp/dns", databricks: "registry.terraform.io/databricks/databricks" };
const PLATFORM = "linux_amd64";

/**
 * Writes the mirror: <dir>/<source>/<version>/linux_amd64/terraform-provider-<name>_v<version>.
 * @param {string} dir mirror root (created if missing)
 * @param {{dns?: string[], databricks?: string[]}} [versions] versions to mirror per provider
 * @returns {string} the absolute mirror root
 */
function installMirror(dir, versions = DEFAULT_VERSIONS) {
  const root = path.resolve(dir);
  const provider = path.join(__dirname, "provider.js");
  for (const [name, list] of Object.entries({ ...DEFAULT_VERSIONS, ...versions })) {
    if (!SOURCES[name]) throw new Error(`installMirror: unknown provider ${name} (dns or databricks)`);
    for (const v of list) {
      const bin = path.join(root, SOURCES[name], v, PLATFORM);
      fs.mkdirSync(bin, { recursive: true });
      const file = path.join(bin, `terraform-provider-${name}_v${v}`);
      fs.writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${provider}" ${name} "$@"\n`, { mode: 0o755 });
      fs.chmodSync(file, 0o755);
    }
  }
  return root;
}

/**
 * A CLI configuration that takes dns and databricks from the mirror and aws from `awsMirror`.
 * @param {string} dir mirror root given to installMirror
 * @param {string} [awsMirror] filesystem mirror of the real aws provider
 * @returns {string} CLI configuration text (for TF_CLI_CONFIG_FILE)
 */
function cliConfig(dir, awsMirror = "/opt/tf-plugins") {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(path.resolve(dir))}
    include = [${Object.values(SOURCES).map((s) => JSON.stringify(s)).join(", ")}]
  }
  filesystem_mirror {
    path    = ${JSON.stringify(awsMirror)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
`;
}

module.exports = { installMirror, cliConfig, DEFAULT_VERSIONS };
