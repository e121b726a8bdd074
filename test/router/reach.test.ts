// What reaches a router and what it reaches: the database access output (what each database's
// security group must admit) and cross-region consumers (supported_regions, two zones).
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { DatabricksNcc, PrivateLinkRouter, ValidationError } from "../../src";
import { dnsTargets, newStack, routerProps, SUBNETS, synth } from "../helpers";

let stack: TerraformStack;
beforeEach(() => {
  ({ stack } = newStack());
});

const outputOf = (json: any, part: string) => Object.entries<any>(json.output).find(([k]) => k.includes(part))![1];

describe("database access", () => {
  test("the subnets are read with count (ids may be unknown until apply) and feed sourceCidrs on the router and every shard", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(3), maxTargetsPerLoadBalancer: 2 }));
    new TerraformOutput(stack, "router_cidrs", { value: router.sourceCidrs });
    router.shards.forEach((s) => new TerraformOutput(stack, `shard${s.index}`, { value: { cidrs: s.sourceCidrs, sg: s.securityGroupId, sgOf: s.securityGroup.id } }));
    const json = synth(stack);
    const [name, subnet] = Object.entries<any>(json.data.aws_subnet)[0];
    expect(subnet.count).toMatch(/^\$\{length\(local\.Router_settings_[0-9A-F]+\.subnet_ids\)\}$/);
    expect(subnet.id).toMatch(/^\$\{local\.Router_settings_[0-9A-F]+\.subnet_ids\[count\.index\]\}$/);
    expect(Object.values<any>(json.locals).find((l) => l?.subnet_ids)?.subnet_ids).toEqual(SUBNETS);
    const cidrs = `\${data.aws_subnet.${name}[*].cidr_block}`;
    expect(json.output.router_cidrs.value).toBe(cidrs);
    for (const i of [0, 1]) {
      expect(json.output[`shard${i}`].value.cidrs).toBe(cidrs);
      expect(json.output[`shard${i}`].value.sg).toBe(json.output[`shard${i}`].value.sgOf);
    }
  });

  test("one output entry per target: ports (traffic and health check), CIDRs, its shard's security group, and a line for the owner", () => {
    new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ name: "orders", host: "orders.example.com", port: 5432, healthCheck: { port: "8080" } }] }));
    const value: string = outputOf(synth(stack), "database_access").value;
    expect(value).toContain('ports = [for e in split(",", t.egress) : replace(e, ":", "/")]');
    expect(value).toMatch(/from_security_group = local\.Router_shards_[0-9A-F]+\[tostring\(t\.shard\)\]\.security_group_id/);
    expect(value).toMatch(/database = t\.host != null \? t\.host : join\(",", local\.Router_literal_ips_[0-9A-F]+\[k\]\)/);
    expect(value).toMatch(/line = "\$\{t\.host != null \? t\.host : join\(",", local\.Router_literal_ips_[0-9A-F]+\[k\]\)\}: allow \$\{join\(", ", \[for e in split\(",", t\.egress\) : replace\(e, ":", "\/"\)\]\)\} from \$\{join\(", ", data\.aws_subnet\./);
  });

  test("each route says which ports its database admits", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [
      { name: "orders", host: "orders.example.com", port: 5432, healthCheck: { port: "8080" } },
      { name: "dns", ips: ["10.1.1.1"], port: 53, protocol: "TCP_UDP" },
    ] }));
    expect(router.routes.map((r) => r.admit)).toEqual([["tcp/5432", "tcp/8080"], ["tcp/53", "udp/53"]]);
  });
});

describe("cross-region", () => {
  const connect = (region: string, subnetIds = SUBNETS) => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(3), maxTargetsPerLoadBalancer: 2, subnetIds }));
    const { databricks } = { databricks: stack.node.tryFindChild("databricks") as any };
    new DatabricksNcc(stack, "Ncc", { region, provider: databricks, routers: [router] });
    return synth(stack);
  };

  test("an NCC in the router's region leaves supported_regions unset and reads no region", () => {
    const json = connect("us-east-1");
    expect(Object.values<any>(json.resource.aws_vpc_endpoint_service).map((s) => s.supported_regions)).toEqual([undefined, undefined]);
    expect(json.data.aws_region).toBeUndefined();
  });

  test("an NCC in another region is listed, with the router's own, on every shard's service, which checks two zones at plan time", () => {
    const json = connect("eu-west-1");
    const services = Object.values<any>(json.resource.aws_vpc_endpoint_service);
    expect(services.map((s) => s.supported_regions)).toEqual([["eu-west-1", "us-east-1"], ["eu-west-1", "us-east-1"]]);
    expect(services[0].lifecycle.precondition[0].condition).toMatch(/^\$\{length\(distinct\(data\.aws_subnet\.Router_Subnet_[0-9A-F]+\[\*\]\.availability_zone\)\) >= 2\}$/);
  });

  test.each([
    [["subnet-0123456789abcdef0"], false],
    [SUBNETS, true],
  ])("cross-region with subnets %p is accepted: %p", (subnetIds, ok) => {
    const make = () => connect("eu-west-1", subnetIds);
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(ValidationError);
  });

  test("one subnet: the error names the regions, the subnets and the fix, before any rule is made", () => {
    expect(() => connect("eu-west-1", ["subnet-0123456789abcdef0"])).toThrow(
      'test/Router: the router\'s region us-east-1 differs from the consumer\'s eu-west-1, and cross-region PrivateLink needs the load balancers in at least two Availability Zones, but `subnetIds` lists ["subnet-0123456789abcdef0"]; give one subnet in each of two or more Availability Zones');
  });

  test("a token region: Terraform compares the provider's region with the NCC's, through a local", () => {
    const s = new TerraformStack(Testing.app(), "t");
    const region = new TerraformVariable(s, "region", { type: "string" });
    new AwsProvider(s, "aws", { region: region.stringValue });
    const databricks = new DatabricksProvider(s, "databricks", { host: "https://accounts.cloud.databricks.com", accountId: "00000000-0000-0000-0000-000000000000" });
    const router = new PrivateLinkRouter(s, "Router", routerProps({ targets: dnsTargets(1) }));
    new DatabricksNcc(s, "Ncc", { region: "eu-west-1", provider: databricks, routers: [router] });
    const json = synth(s);
    const service = Object.values<any>(json.resource.aws_vpc_endpoint_service)[0];
    expect(Object.keys(json.data.aws_region)).toHaveLength(1);
    expect(service.supported_regions).toMatch(/^\$\{length\(setsubtract\(local\.Router_consumer_regions_[0-9A-F]+, \[data\.aws_region\.Router_Region_[0-9A-F]+\.id\]\)\) == 0 \? null : sort\(distinct\(concat\(\[data\.aws_region\.Router_Region_[0-9A-F]+\.id\], local\.Router_consumer_regions_[0-9A-F]+\)\)\)\}$/);
    expect(Object.entries<any>(json.locals).find(([k]) => k.includes("consumer_regions"))![1]).toEqual(["eu-west-1"]);
  });
});
