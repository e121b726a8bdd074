import { TerraformStack, TerraformVariable } from "cdktf";
import { HealthCheckOptions, PrivateLinkRouter, PrivateLinkRouterProps, RouterTarget, ValidationError } from "../../src";
import { newStack, routerProps } from "../helpers";

let stack: TerraformStack;
beforeEach(() => {
  ({ stack } = newStack());
});

const T: RouterTarget = { name: "db", host: "db.example.com", port: 5432 };
const router = (extra: Partial<PrivateLinkRouterProps>) => () => new PrivateLinkRouter(stack, "Router", routerProps({ targets: [T], ...extra }));
const target = (t: Partial<RouterTarget>) => router({ targets: [{ ...T, ...t } as RouterTarget] });
const hc = (h: HealthCheckOptions) => router({ healthCheck: h });

/** [what, value, valid] */
const BOUNDARIES: Array<[string, (v: any) => () => unknown, any, boolean]> = [
  ["basePort", (v) => router({ basePort: v }), 0, false],
  ["basePort", (v) => router({ basePort: v }), 1, true],
  ["basePort", (v) => router({ basePort: v }), 65535, true],
  ["basePort", (v) => router({ basePort: v }), 65536, false],
  ["basePort", (v) => router({ basePort: v }), 1.5, false],
  ["maxTargetsPerLoadBalancer", (v) => router({ maxTargetsPerLoadBalancer: v }), 0, false],
  ["maxTargetsPerLoadBalancer", (v) => router({ maxTargetsPerLoadBalancer: v }), 1, true],
  ["maxTargetsPerLoadBalancer", (v) => router({ maxTargetsPerLoadBalancer: v }), 50, true],
  ["maxTargetsPerLoadBalancer", (v) => router({ maxTargetsPerLoadBalancer: v }), 51, false],
  ["tcpIdleTimeoutSeconds", (v) => router({ tcpIdleTimeoutSeconds: v }), 59, false],
  ["tcpIdleTimeoutSeconds", (v) => router({ tcpIdleTimeoutSeconds: v }), 60, true],
  ["tcpIdleTimeoutSeconds", (v) => router({ tcpIdleTimeoutSeconds: v }), 6000, true],
  ["tcpIdleTimeoutSeconds", (v) => router({ tcpIdleTimeoutSeconds: v }), 6001, false],
  ["deregistrationDelaySeconds", (v) => router({ deregistrationDelaySeconds: v }), -1, false],
  ["deregistrationDelaySeconds", (v) => router({ deregistrationDelaySeconds: v }), 0, true],
  ["deregistrationDelaySeconds", (v) => router({ deregistrationDelaySeconds: v }), 3600, true],
  ["deregistrationDelaySeconds", (v) => router({ deregistrationDelaySeconds: v }), 3601, false],
  ["serviceName", (v) => router({ serviceName: v }), "a", true],
  ["serviceName", (v) => router({ serviceName: v }), "a".repeat(64), true],
  ["serviceName", (v) => router({ serviceName: v }), "a".repeat(65), false],
  ["serviceName", (v) => router({ serviceName: v }), "databricks-serverless-privatelink-prod", true],
  ["serviceName", (v) => router({ serviceName: v }), "", false],
  ["serviceName", (v) => router({ serviceName: v }), "-ab", false],
  ["serviceName", (v) => router({ serviceName: v }), "ab-", false],
  ["serviceName", (v) => router({ serviceName: v }), "a_b", false],
  ["serviceName", (v) => router({ serviceName: v }), "internal-db", false],
  ["serviceName", (v) => router({ serviceName: v }), "internaldb", true],
  ["vpcId", (v) => router({ vpcId: v }), "vpc-0123abcd", true],
  ["vpcId", (v) => router({ vpcId: v }), "vpc-0123abc", false],
  ["vpcId", (v) => router({ vpcId: v }), "subnet-0123abcd", false],
  ["subnetIds", (v) => router({ subnetIds: v }), [], false],
  ["subnetIds", (v) => router({ subnetIds: v }), ["subnet-0123abcd"], true],
  ["subnetIds", (v) => router({ subnetIds: v }), ["vpc-0123abcd"], false],
  ["subnetIds", (v) => router({ subnetIds: v }), ["subnet-0123abcd", "subnet-0123abcd"], false],
  ["ingressCidrs", (v) => router({ ingressCidrs: v }), ["0.0.0.0/0"], false],
  ["ingressCidrs", (v) => router({ ingressCidrs: v }), ["128.0.0.0/1"], true],
  ["ingressCidrs", (v) => router({ ingressCidrs: v }), ["10.0.0.0/32"], true],
  ["ingressCidrs", (v) => router({ ingressCidrs: v }), ["10.0.0.0/33"], false],
  ["ingressCidrs", (v) => router({ ingressCidrs: v }), ["10.0.0.1/8"], false],
  ["ingressCidrs", (v) => router({ ingressCidrs: v }), ["10.0.0.0"], false],
  ["egressCidrs", (v) => router({ egressCidrs: v }), [], false],
  ["egressCidrs", (v) => router({ egressCidrs: v }), ["10.0.0.0/8"], true],
  ["egressCidrs", (v) => router({ egressCidrs: v }), ["10.0.0.0/7"], false],
  ["egressCidrs", (v) => router({ egressCidrs: v }), ["172.16.0.0/12"], true],
  ["egressCidrs", (v) => router({ egressCidrs: v }), ["172.16.0.0/11"], false],
  ["egressCidrs", (v) => router({ egressCidrs: v }), ["100.64.0.0/10"], true],
  ["egressCidrs", (v) => router({ egressCidrs: v }), ["8.8.8.0/24"], false],
  ["allowedPrincipals", (v) => router({ allowedPrincipals: v }), ["arn:aws:iam::123456789012:root"], true],
  ["allowedPrincipals", (v) => router({ allowedPrincipals: v }), ["arn:aws-us-gov:iam::123456789012:role/x"], true],
  ["allowedPrincipals", (v) => router({ allowedPrincipals: v }), ["*"], false],
  ["tags", (v) => router({ tags: v }), { ["k".repeat(128)]: "v".repeat(256) }, true],
  ["tags", (v) => router({ tags: v }), { ["k".repeat(129)]: "v" }, false],
  ["tags", (v) => router({ tags: v }), { k: "v".repeat(257) }, false],
  ["tags", (v) => router({ tags: v }), { "aws:x": "v" }, false],
  ["portMapFile", (v) => router({ portMapFile: v }), "", false],
  ["target.port", (v) => target({ port: v }), 0, false],
  ["target.port", (v) => target({ port: v }), 1, true],
  ["target.port", (v) => target({ port: v }), 65535, true],
  ["target.port", (v) => target({ port: v }), 65536, false],
  ["target.port", (v) => target({ port: v }), undefined, false],
  ["target.listenerPort", (v) => target({ listenerPort: v }), 0, false],
  ["target.listenerPort", (v) => target({ listenerPort: v }), 1, true],
  ["target.listenerPort", (v) => target({ listenerPort: v }), 65535, true],
  ["target.listenerPort", (v) => target({ listenerPort: v }), 65536, false],
  ["target.protocol", (v) => target({ protocol: v }), "TCP_UDP", true],
  ["target.protocol", (v) => target({ protocol: v }), "TLS", false],
  ["target.protocol", (v) => target({ protocol: v }), "tcp", false],
  ["target.name", (v) => target({ name: v }), "a", true],
  ["target.name", (v) => target({ name: v }), "a".repeat(64), true],
  ["target.name", (v) => target({ name: v }), "a".repeat(65), false],
  ["target.name", (v) => target({ name: v }), "", false],
  ["target.name", (v) => target({ name: v }), "_a", false],
  ["target.name", (v) => target({ name: v }), "a/b", false],
  ["target.host", (v) => target({ host: v }), "a".repeat(63) + ".com", true],
  ["target.host", (v) => target({ host: v }), "a".repeat(64) + ".com", false],
  ["target.host", (v) => target({ host: v }), `${"a".repeat(63)}.`.repeat(3) + "a".repeat(61), true],
  ["target.host", (v) => target({ host: v }), `${"a".repeat(63)}.`.repeat(3) + "a".repeat(62), false],
  ["target.host", (v) => target({ host: v }), "db.example.com.", true],
  ["target.host", (v) => target({ host: v }), "-db.example.com", false],
  ["target.host", (v) => target({ host: v }), "10.0.0.1", false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["10.0.0.0"], true],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["10.255.255.255"], true],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["11.0.0.0"], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["172.15.255.255"], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["172.16.0.0"], true],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["172.31.255.255"], true],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["172.32.0.0"], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["192.168.0.1"], true],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["192.169.0.1"], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["100.63.255.255"], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["100.64.0.0"], true],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["100.127.255.255"], true],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["100.128.0.0"], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["10.0.0.256"], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["10.0.0.01"], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), [], false],
  ["target.ips", (v) => target({ host: undefined, ips: v }), ["10.0.0.1", "10.0.0.1"], false],
  ["target.availabilityZone", (v) => target({ availabilityZone: v }), "eu-central-1b", true],
  ["target.availabilityZone", (v) => target({ availabilityZone: v }), "any", false],
  ["healthCheck.protocol", (v) => hc({ protocol: v }), "HTTPS", true],
  ["healthCheck.protocol", (v) => hc({ protocol: v }), "UDP", false],
  ["healthCheck.port", (v) => hc({ port: v }), "1", true],
  ["healthCheck.port", (v) => hc({ port: v }), "65535", true],
  ["healthCheck.port", (v) => hc({ port: v }), "0", false],
  ["healthCheck.port", (v) => hc({ port: v }), "65536", false],
  ["healthCheck.port", (v) => hc({ port: v }), "http", false],
  ["healthCheck.path", (v) => hc({ protocol: "HTTP", path: v }), "/", true],
  ["healthCheck.path", (v) => hc({ protocol: "HTTP", path: v }), "/" + "a".repeat(1023), true],
  ["healthCheck.path", (v) => hc({ protocol: "HTTP", path: v }), "/" + "a".repeat(1024), false],
  ["healthCheck.path", (v) => hc({ protocol: "HTTP", path: v }), "health", false],
  ["healthCheck.path", (v) => hc({ path: v }), "/health", false],
  ["healthCheck.healthyThreshold", (v) => hc({ healthyThreshold: v }), 1, false],
  ["healthCheck.healthyThreshold", (v) => hc({ healthyThreshold: v }), 2, true],
  ["healthCheck.healthyThreshold", (v) => hc({ healthyThreshold: v }), 10, true],
  ["healthCheck.healthyThreshold", (v) => hc({ healthyThreshold: v }), 11, false],
  ["healthCheck.unhealthyThreshold", (v) => hc({ unhealthyThreshold: v }), 1, false],
  ["healthCheck.unhealthyThreshold", (v) => hc({ unhealthyThreshold: v }), 2, true],
  ["healthCheck.unhealthyThreshold", (v) => hc({ unhealthyThreshold: v }), 10, true],
  ["healthCheck.unhealthyThreshold", (v) => hc({ unhealthyThreshold: v }), 11, false],
  ["healthCheck.intervalSeconds", (v) => hc({ intervalSeconds: v, timeoutSeconds: 2 }), 4, false],
  ["healthCheck.intervalSeconds", (v) => hc({ intervalSeconds: v, timeoutSeconds: 2 }), 5, true],
  ["healthCheck.intervalSeconds", (v) => hc({ intervalSeconds: v }), 300, true],
  ["healthCheck.intervalSeconds", (v) => hc({ intervalSeconds: v }), 301, false],
  ["healthCheck.timeoutSeconds", (v) => hc({ timeoutSeconds: v }), 1, false],
  ["healthCheck.timeoutSeconds", (v) => hc({ timeoutSeconds: v }), 2, true],
  ["healthCheck.timeoutSeconds", (v) => hc({ timeoutSeconds: v, intervalSeconds: 300 }), 120, true],
  ["healthCheck.timeoutSeconds", (v) => hc({ timeoutSeconds: v, intervalSeconds: 300 }), 121, false],
  ["healthCheck interval > timeout", (v) => hc({ intervalSeconds: 30, timeoutSeconds: v }), 29, true],
  ["healthCheck interval > timeout", (v) => hc({ intervalSeconds: 30, timeoutSeconds: v }), 30, false],
  ["target.healthCheck", (v) => target({ healthCheck: v }), { healthyThreshold: 11 }, false],
];

test.each(BOUNDARIES.map(([what, make, value, valid]) => [what, value, valid, make] as const))("%s = %j is valid: %p", (_, value, valid, make) => {
  let error: unknown;
  try {
    make(value)();
  } catch (e) {
    error = e;
  }
  if (valid) {
    expect(error).toBeUndefined();
  } else {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/^test\/Router: /);
  }
});

test.each([
  ["a bad prop", { basePort: 0 }],
  ["a bad target after good ones", { targets: [T, { ...T, name: "db2" }, { ...T, name: "db3", port: 0 }] }],
  ["a target over the security group quota", { targets: [T, { name: "big", ips: Array.from({ length: 61 }, (_, i) => `10.0.0.${i + 1}`), port: 1 }] }],
])("validation of %s happens before any resource is made", (_, props) => {
  expect(router(props)).toThrow(ValidationError);
  expect(stack.node.tryFindChild("Router")?.node.children.length ?? 0).toBe(0);
  expect(stack.node.tryFindChild("dns")).toBeUndefined();
});

test("a rejected addTarget leaves the router unchanged", () => {
  const r = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [T], maxTargetsPerLoadBalancer: 2 }));
  expect(() => r.addTarget({ ...T, name: "bad", port: 0 })).toThrow(ValidationError);
  // placed, then over the egress quota: neither its port nor a shard is taken
  expect(() => r.addTarget({ name: "big", ips: Array.from({ length: 61 }, (_, i) => `10.0.0.${i + 1}`), port: 1 })).toThrow(/outbound rules/);
  expect(r.shards).toHaveLength(1);
  expect(() => r.addTarget(T)).toThrow(/two targets are named "db"/);
  expect(r.routes.map((x) => x.name)).toEqual(["db"]);
  expect(r.addTarget({ ...T, name: "db2" }).listenerPort).toBe(10001);
});

test("tokens are not checked", () => {
  const { stack: s } = newStack();
  const vpc = new TerraformVariable(s, "vpc", { type: "string" });
  const subnets = new TerraformVariable(s, "subnets", { type: "list(string)" });
  const port = new TerraformVariable(s, "idle", { type: "number" });
  expect(() => new PrivateLinkRouter(s, "A", routerProps({ vpcId: vpc.stringValue, subnetIds: subnets.listValue, tcpIdleTimeoutSeconds: port.numberValue, targets: [T] }))).not.toThrow();
  expect(() => new PrivateLinkRouter(s, "B", routerProps({ subnetIds: [vpc.stringValue], allowedPrincipals: [vpc.stringValue], targets: [T] }))).not.toThrow();
});
