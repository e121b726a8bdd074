// Reads what `cdktf synth` wrote, never the user's app: the stack folders under
// cdktf.out/stacks (or the ones given with --stack) and each one's cdk.tf.json.
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";

/** One synthesized stack. */
export interface SynthesizedStack {
  /** The stack's name (its folder's name). */
  readonly name: string;
  /** The stack folder. */
  readonly dir: string;
  /** The parsed cdk.tf.json. */
  readonly config: any;
}

/** The stacks in `dirs` (each a stack folder), or every stack under `<cwd>/cdktf.out/stacks`. */
export function readStacks(dirs: string[], cwd: string): SynthesizedStack[] {
  if (dirs.length > 0) return dirs.map((d) => readStack(path.resolve(cwd, d)));
  const root = path.join(cwd, "cdktf.out", "stacks");
  if (!fs.existsSync(root)) {
    throw new UsageError(`no synthesized stacks: ${root} does not exist; run \`cdktf synth\` in the app's folder first, or pass --stack ` +
      `<cdktf.out/stacks/<name>>`);
  }
  const names = fs.readdirSync(root).filter((n) => fs.existsSync(path.join(root, n, "cdk.tf.json"))).sort();
  if (names.length === 0) throw new UsageError(`no cdk.tf.json under ${root}: run \`cdktf synth\` (JSON output, not --hcl) first`);
  return names.map((n) => readStack(path.join(root, n)));
}

/** One stack folder (or a cdk.tf.json file itself). */
export function readStack(dirOrFile: string): SynthesizedStack {
  const file = dirOrFile.endsWith(".json") ? dirOrFile : path.join(dirOrFile, "cdk.tf.json");
  if (!fs.existsSync(file)) {
    throw new UsageError(`${file} does not exist: --stack takes a synthesized stack folder (cdktf.out/stacks/<name>) holding ` +
      `cdk.tf.json; run \`cdktf synth\` first`);
  }
  let config: any;
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`${file} is not JSON (${(e as Error).message}): synthesize again with \`cdktf synth\``);
  }
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new UsageError(
      `${file} is not a Terraform JSON configuration (an object with resource, locals, ...): synthesize again with \`cdktf synth\``);
  }
  const dir = path.dirname(file);
  return { name: path.basename(dir), dir, config };
}
