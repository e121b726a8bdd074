// Reads a Terraform state for `status`: a state file (format version 4, as `terraform state pull`
// prints it) or the output of `terraform show -json`, into one index of resource instances by
// address and instance key, and of root outputs by name. Only ids, ARNs and outputs are read.
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";

/** The resource instances and outputs of one or more states. */
export interface StateIndex {
  /** The attributes of `<type>.<name>` (data sources: `data.<type>.<name>`), instance `key` if given. */
  instance(address: string, key?: string | number): { [attribute: string]: any } | undefined;
  /** The attributes of every instance of `address` (a `count` or `for_each` resource), in state order. */
  instances(address: string): Array<{ [attribute: string]: any }>;
  /** Whether any state holds a resource at `address`. */
  has(address: string): boolean;
  /** A root output's value. */
  output(name: string): any;
  /** The names of the root outputs. */
  readonly outputNames: string[];
}

interface Instances {
  readonly byKey: Map<string, { [attribute: string]: any }>;
}

/** The states in `files` (paths relative to `cwd`), merged: an address held by two states is read from the first. */
export function readStates(files: string[], cwd: string): StateIndex {
  const resources = new Map<string, Instances>();
  const outputs = new Map<string, any>();
  for (const file of files) {
    const full = path.resolve(cwd, file);
    const parsed = parseState(full);
    for (const [address, instances] of parsed.resources) if (!resources.has(address)) resources.set(address, instances);
    for (const [name, value] of parsed.outputs) if (!outputs.has(name)) outputs.set(name, value);
  }
  return {
    instance: (address, key) => resources.get(address)?.byKey.get(keyText(key)),
    instances: (address) => [...(resources.get(address)?.byKey.values() ?? [])],
    has: (address) => resources.has(address),
    output: (name) => outputs.get(name),
    outputNames: [...outputs.keys()],
  };
}

const keyText = (key: string | number | undefined): string => (key === undefined || key === null ? "" : `${typeof key}:${key}`);

function parseState(file: string): { resources: Map<string, Instances>; outputs: Map<string, any> } {
  if (!fs.existsSync(file)) {
    throw new UsageError(`--state ${file} does not exist: pass the stack's state (terraform.<stack>.tfstate, or \`terraform state pull ` +
      `> state.json\`, or \`terraform show -json > state.json\`)`);
  }
  let json: any;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(
      `--state ${file} is not JSON (${(e as Error).message}): pass a state file or the output of \`terraform show -json\``);
  }
  const resources = new Map<string, Instances>();
  const outputs = new Map<string, any>();
  const add = (address: string, key: unknown, attributes: any) => {
    const entry = resources.get(address) ?? { byKey: new Map() };
    entry.byKey.set(keyText(key as string | number | undefined), attributes ?? {});
    resources.set(address, entry);
  };
  if (json && json.version === 4 && Array.isArray(json.resources)) {
    for (const r of json.resources) {
      if (r.module) continue;
      const address = `${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
      for (const i of r.instances ?? []) add(address, i.index_key, i.attributes);
    }
    for (const [name, o] of Object.entries<any>(json.outputs ?? {})) outputs.set(name, o?.value);
  } else if (json && typeof json.format_version === "string" && json.values !== undefined) {
    for (const r of json.values?.root_module?.resources ?? []) {
      add(`${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`, r.index, r.values);
    }
    for (const [name, o] of Object.entries<any>(json.values?.outputs ?? {})) outputs.set(name, o?.value);
  } else if (json && typeof json.format_version === "string") {
    throw new UsageError(`--state ${file} is \`terraform show -json\` output of an empty state (no "values"): apply the stack first`);
  } else {
    throw new UsageError(`--state ${file} is neither a Terraform state (format version 4) nor \`terraform show -json\` output`);
  }
  return { resources, outputs };
}
