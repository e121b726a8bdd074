// The seam's other half: what cdktf writes into cdk.tf.json beyond the Terraform it means, which
// the `privatelink-router` command reads without loading cdktf (so it starts in a tenth of a
// second and never runs the user's app). It continues cdktf-seam.ts's numbered assumptions; each
// has a contract test in test/core/cdktf-seam.test.ts, run on cdktf and on cdktn.
// 13. A block's key is its logical id: the construct path below the stack less its "Default"
//     parts and less a part the previous one ends with, each part without characters other than
//     letters, digits, "_" and "-", joined with "_", then "_" and 8 upper-case hex digits. (Paths
//     whose readable part exceeds 240 characters are cut there; the command does not handle that.)
// 14. `app.synth()` writes each block's construct path, stack first, at `"//".metadata.path`.
// 15. A cross-stack reference is `${data.terraform_remote_state.<id>.outputs.<output>}` in the
//     reading stack; the remote state's id ends with `-<writing stack>`, and with the default
//     local backend its `path` is `terraform.<writing stack>.tfstate`.

/** (13) The hash that ends a logical id below the top of a stack. */
const LOGICAL_ID_HASH = "[0-9A-F]{8}";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** (13) The logical id prefix of a construct path below the stack (`Ncc-east/Default/Router.2` -> `Ncc-east_Router2`). */
export function logicalIdPrefix(constructPath: string): string {
  const parts: string[] = [];
  for (const part of constructPath.split("/").filter((p) => p !== "Default")) {
    if (parts.length === 0 || !parts[parts.length - 1].endsWith(part)) parts.push(part);
  }
  return parts.filter((p) => p !== "Resource").map((part) => part.replace(/[^A-Za-z0-9_-]/g, "")).join("_");
}

/** (13) Matches the logical id of `<prefix>/<name>` (`Router_targets_0ADBA1A4`); `prefix` may be a pattern (a group). */
export function logicalIdOf(prefix: string | RegExp, name: string): RegExp {
  const p = typeof prefix === "string" ? escape(prefix) : prefix.source;
  return new RegExp(`^${p}_${escape(name)}_${LOGICAL_ID_HASH}$`);
}

/**
 * (13) A logical id without its last part and hash (`Ncc_RouterShard0_2C1C9063` less `RouterShard0`: `Ncc`),
 * if `last` matches that part.
 */
export function logicalIdParent(id: string, last: RegExp): string | undefined {
  const m = new RegExp(`^(.+)_(?:${last.source})_${LOGICAL_ID_HASH}$`).exec(id);
  return m?.[1];
}

/** (14) A block's construct path below its stack (`Router/Listener`), when cdktf wrote it. */
export function constructPathOf(block: any): string | undefined {
  const p: unknown = block?.["//"]?.metadata?.path;
  return typeof p === "string" ? p.split("/").slice(1).join("/") : undefined;
}

/** (15) The remote state and output a cross-stack reference reads, if `value` is one. */
export function remoteStateReference(value: unknown): { remote: string; output: string } | undefined {
  const m = typeof value === "string" ? /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)\}$/.exec(value) : null;
  return m ? { remote: m[1], output: m[2] } : undefined;
}

/** (15) Whether a remote state (its id and config block) reads the stack `stackName`. */
export function readsStack(remote: string, config: unknown, stackName: string): boolean {
  return remote.endsWith(`-${stackName}`) || JSON.stringify(config ?? {}).includes(`terraform.${stackName}.tfstate`);
}
