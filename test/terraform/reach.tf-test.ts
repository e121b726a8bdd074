// Cross-region consumers through `terraform test` (mock aws, the databricks stand-in): the
// endpoint services list both regions, and subnets in one Availability Zone fail the plan.
import { DatabricksNcc, PrivateLinkRouter } from "../../src";
import { hosts, stackWithProviders, SUBNETS, synth, VPC } from "./harness/scenarios";
import { addressOf, hclString, mockAws, Sequence } from "./harness/sequence";
import { terraformAvailable } from "./harness/terraform";

const describeTf = terraformAvailable() ? describe : describe.skip;

describeTf("an NCC in another region than the router", () => {
  test("two zones: both regions on every shard's service; one zone: the plan fails on the precondition", () => {
    // GIVEN: a router in us-east-1 (two shards) connected to an NCC in eu-west-1
    const { stack, databricks } = stackWithProviders("crossregion");
    const router = new PrivateLinkRouter(stack, "Router", { vpcId: VPC, subnetIds: SUBNETS, maxTargetsPerLoadBalancer: 2, targets: hosts(3) });
    new DatabricksNcc(stack, "Ncc", { region: "eu-west-1", routers: [router], provider: databricks });
    const config = synth(stack);
    const services = router.shards.map((s) => addressOf(s.endpointService));
    const subnets = `data.aws_subnet.${Object.keys(config.data.aws_subnet)[0]}`;
    const zones = (a: string, b: string) => [0, 1].map((i) => [
      "  override_data {", `    target = ${subnets}[${i}]`, `    values = { availability_zone = ${hclString(i === 0 ? a : b)}, cidr_block = "10.0.${i}.0/24" }`, "  }",
    ].join("\n")).join("\n");
    const seq = new Sequence("cross-region");
    seq.writeVersion("", config);
    seq.writeTest("cross_region.tftest.hcl", [mockAws({}), [
      'run "two_zones" {',
      zones("us-east-1a", "us-east-1b"),
      ...services.map((s) => `  assert {\n    condition     = ${s}.supported_regions == toset(["eu-west-1", "us-east-1"])\n    error_message = "both regions on ${s}"\n  }`),
      "}",
      'run "one_zone" {',
      "  command = plan",
      zones("us-east-1a", "us-east-1a"),
      `  expect_failures = [${services.join(", ")}]`,
      "}",
    ].join("\n")]);
    seq.init();
    // WHEN
    const result = seq.test();
    // THEN
    if (result.status !== 0) throw new Error(result.text);
    expect(result.summary).toEqual({ status: "pass", passed: 2, failed: 0, errored: 0, skipped: 0 });
    expect(result.leftInState).toEqual([]);
  });
});
