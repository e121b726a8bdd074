// The same program on cdktf and on CDK Terrain writes the same Terraform: every example, run as a
// fresh app of each framework with that framework's build of the library (test/cdktn/twins.ts).
import * as fs from "fs";
import * as path from "path";
import { config, Framework, removeApps, ROOT, synthApp } from "./twins";

/** The version of the provider that a binding package was generated from (what cdktf pins in required_providers). */
function bindingVersion(pkg: string): string {
  const code = fs.readFileSync(path.join(ROOT, "node_modules", pkg, "lib", "provider", "index.js"), "utf8");
  return /providerVersion: '([^']+)'/.exec(code)![1];
}

/**
 * What may differ, taken out (the README lists it): the framework's version in the `//` metadata;
 * the local backend's absolute path (made relative to the app: the same state file); the version
 * each framework's provider bindings pin in required_providers; and a provider source without a
 * namespace ("aws", which Terraform reads as "hashicorp/aws").
 */
function normalize(json: any, framework: Framework, stackDir: string): any {
  const out = structuredClone(json);
  delete out["//"].metadata.version;
  const app = path.resolve(stackDir, "..", "..", "..");
  if (out.terraform.backend?.local) out.terraform.backend.local.path = path.relative(app, out.terraform.backend.local.path);
  for (const [name, provider] of Object.entries<any>(out.terraform.required_providers)) {
    if (!provider.source.includes("/")) provider.source = `hashicorp/${provider.source}`;
    const bindings = { aws: "provider-aws", databricks: "provider-databricks" }[name];
    if (bindings && provider.version === bindingVersion(`@${framework}/${bindings}`)) provider.version = "(the bindings' version)";
  }
  return out;
}

/** Every resource and data source address. */
const addresses = (json: any) => ["resource", "data"].flatMap((kind) =>
  Object.entries<any>(json[kind] ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${kind === "data" ? "data." : ""}${type}.${name}`))).sort();

describe("cdktf and cdktn write the same Terraform", () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, "dist", "cdktn", "lib", "index.js"))) throw new Error("dist/cdktn is missing: run npm run build");
  });
  afterAll(removeApps);

  test.each<[string, Framework]>([
    ["databricks-serverless", "cdktf"],
    ["transparent-ports", "cdktf"],
    ["many-databases", "cdktf"],
    ["cdktn-serverless", "cdktn"],
  ])("examples/%s (written for %s)", (example, written) => {
    // GIVEN: the example as an app of each framework
    const dirs = { cdktf: synthApp(example, written, "cdktf"), cdktn: synthApp(example, written, "cdktn") };
    // WHEN
    const [cdktf, cdktn] = [config(dirs.cdktf), config(dirs.cdktn)];
    // THEN: the same addresses and the same values, but for the framework's metadata
    expect(addresses(cdktn)).toEqual(addresses(cdktf));
    expect(addresses(cdktf).length).toBeGreaterThan(10);
    expect(normalize(cdktn, "cdktn", dirs.cdktn)).toEqual(normalize(cdktf, "cdktf", dirs.cdktf));
    // what was taken out is what was expected
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).devDependencies;
    expect([cdktf["//"].metadata.version, cdktn["//"].metadata.version]).toEqual([installed.cdktf, installed.cdktn]);
    expect([cdktf.terraform.required_providers.aws.version, cdktn.terraform.required_providers.aws.version])
      .toEqual([bindingVersion("@cdktf/provider-aws"), bindingVersion("@cdktn/provider-aws")]);
  }, 120_000);
});
