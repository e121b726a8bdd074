// The command line of `privatelink-router`: the command and its options, checked, with a usage
// error that names the bad argument and the fix.
import { UsageError } from "./errors";

export const USAGE = `usage:
  privatelink-router routes [--stack <cdktf.out/stacks/name>]... [--format table|json|markdown|mermaid] [--against <other stack dir>]
  privatelink-router status [--stack <dir>]... --state <terraform.tfstate | terraform show -json output>... [--format table|json]
                            [--dns-server <ip[:port]>] [--account-id <databricks account id>]

routes reads what \`cdktf synth\` wrote (no credentials). status asks AWS (the SDK's default credentials and region)
and the Databricks account API (DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET, or DATABRICKS_TOKEN), read-only.
Exit codes: 0 every route healthy (or routes printed), 1 a route is not healthy, 2 a usage or credentials error.`;

export interface Options {
  readonly command: "routes" | "status" | "help";
  readonly stacks: string[];
  readonly format: string;
  readonly against?: string;
  /** The state of each stack (--state, repeatable: a router stack and its NCC stack). */
  readonly states: string[];
  readonly dnsServer?: string;
  readonly accountId?: string;
}

const FORMATS: { [command: string]: string[] } = { routes: ["table", "json", "markdown", "mermaid"], status: ["table", "json"] };
const VALUED = ["--stack", "--format", "--against", "--state", "--dns-server", "--account-id"];
const ALLOWED: { [command: string]: string[] } = {
  routes: ["--stack", "--format", "--against"],
  status: ["--stack", "--format", "--state", "--dns-server", "--account-id"],
};

/** The options of `argv` (without node and the script). */
export function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") return { command: "help", stacks: [],
    format: "table", states: [] };
  if (command !== "routes" && command !== "status") throw new UsageError(
    `unknown command ${JSON.stringify(command)}: use routes or status\n${USAGE}`);
  const values: { [flag: string]: string[] } = {};
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].startsWith("--") && rest[i].includes("=") ?
      [rest[i].slice(0, rest[i].indexOf("=")), rest[i].slice(rest[i].indexOf("=") + 1)] : [rest[i], undefined];
    if (flag === "--help" || flag === "-h") return { command: "help", stacks: [], format: "table", states: [] };
    if (!VALUED.includes(flag)) throw new UsageError(`unknown argument ${JSON.stringify(rest[i])} for ${command}\n${USAGE}`);
    if (!ALLOWED[command].includes(flag)) throw new UsageError(
      `${flag} is not an option of ${command} (it takes ${ALLOWED[command].join(", ")})`);
    const value = inline ?? rest[++i];
    if (value === undefined || value === "") throw new UsageError(`${flag} needs a value\n${USAGE}`);
    (values[flag] ??= []).push(value);
  }
  const one = (flag: string) => {
    const v = values[flag];
    if (v && v.length > 1) throw new UsageError(`${flag} is given ${v.length} times: give it once`);
    return v?.[0];
  };
  const format = one("--format") ?? "table";
  if (!FORMATS[command].includes(format)) throw new UsageError(
    `--format ${format} is not a format of ${command}: use ${FORMATS[command].join(", ")}`);
  const against = one("--against");
  if (against !== undefined && format === "mermaid") throw new UsageError(
    "--against compares routes as a table, json or markdown: drop --format mermaid");
  const states = values["--state"] ?? [];
  if (command === "status" && states.length === 0) {
    throw new UsageError(
      "status needs --state: a Terraform state file (terraform.<stack>.tfstate) or the output of `terraform show -json`; "
      + "give it once per stack (a router stack and its NCC stack)");
  }
  const dnsServer = one("--dns-server");
  if (dnsServer !== undefined && !/^(\d{1,3}\.){3}\d{1,3}(:\d{1,5})?$/.test(dnsServer)) {
    throw new UsageError(`--dns-server ${dnsServer} is not an IPv4 address with an optional port (10.0.0.2 or 10.0.0.2:53): give the ` +
      `VPC resolver's inbound endpoint address`);
  }
  const accountId = one("--account-id");
  if (accountId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(accountId)) {
    throw new UsageError(`--account-id ${accountId} is not a Databricks account id (a UUID, as the account console shows it)`);
  }
  return {
    command, stacks: values["--stack"] ?? [], format, against, states, dnsServer, accountId,
  };
}
