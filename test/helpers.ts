import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { PrivateLinkRouterProps, RouterTarget } from "../src";

export const VPC = "vpc-0123456789abcdef0";
export const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];

/** A fresh app and stack with the default aws provider and an account-level databricks provider. */
export function newStack(opts: { aws?: boolean; databricks?: boolean; app?: App } = {}):
  { app: App; stack: TerraformStack; databricks?: DatabricksProvider } {
  const app = opts.app ?? Testing.app();
  const stack = new TerraformStack(app, "test");
  if (opts.aws ?? true) new AwsProvider(stack, "aws", { region: "us-east-1" });
  const databricks = opts.databricks ?? true
    ? new DatabricksProvider(stack, "databricks", { alias: "account", host: "https://accounts.cloud.databricks.com", accountId: "00000000-0000-0000-0000-000000000000" })
    : undefined;
  return { app, stack, databricks };
}

/** The minimal props of a router. */
export function routerProps(extra: Partial<PrivateLinkRouterProps> = {}): PrivateLinkRouterProps {
  return { vpcId: VPC, subnetIds: SUBNETS, ...extra };
}

/** `n` DNS targets `db0`..`db<n-1>` on port 5432. */
export function dnsTargets(n: number, port = 5432): RouterTarget[] {
  return Array.from({ length: n }, (_, i) => ({ name: `db${i}`, host: `db${i}.internal.example.com`, port }));
}

/** The synthesized stack as an object. */
export function synth(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** The only resource (or data source) of a type in a synthesized stack. */
export function only(json: any, type: string, kind: "resource" | "data" = "resource"): any {
  const all = Object.values(json[kind]?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** All resources of a type. */
export function all(json: any, type: string): any[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The local named `..._<part>_<hash>` (locals are named <construct path>_<part>_<hash>); `part` may name the construct too. */
export function local(json: any, part: string): any {
  const key = Object.keys(json.locals ?? {}).find((k) => new RegExp(`(^|_)${part}_[0-9A-F]{8}$`).test(k));
  if (!key) throw new Error(`no local ${part}`);
  return json.locals[key];
}

/** A temporary directory, removed by the OS eventually. */
export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "plr-"));
}
