import { createHandler, loadConfig } from "../../src/ip-sync/handler";
import { FakeElb } from "./fake-elb";
import { arn, entry, env, fakeResolve4 } from "./helpers";

const TARGETS = JSON.stringify([entry("db")]);

describe("IP_SYNC_MISSES", () => {
  test.each([
    [undefined, 1], ["1", 1], ["2", 2], [" 3 ", 3], ["10", 10],
  ])("%p gives %p", (raw, expected) => {
    expect(loadConfig({ IP_SYNC_TARGETS: TARGETS, IP_SYNC_MISSES: raw }).misses).toBe(expected);
  });

  test.each(["0", "-1", "1.5", "x", "", " ", "1e3", "2x", "99999999999999999999"])("throws when IP_SYNC_MISSES is %p", (raw) => {
    expect(() => loadConfig({ IP_SYNC_TARGETS: TARGETS, IP_SYNC_MISSES: raw })).toThrow(/^ip-sync: IP_SYNC_MISSES must be a positive integer \(default 1\), got /);
  });
});

describe("IP_SYNC_DNS_SERVERS", () => {
  test.each([
    [undefined, undefined], ["", undefined], ["10.0.0.2", ["10.0.0.2"]],
    ["10.0.0.2:53, 127.0.0.1:5353", ["10.0.0.2:53", "127.0.0.1:5353"]], ["169.254.169.253:65535", ["169.254.169.253:65535"]],
  ])("%p gives %p", (raw, expected) => {
    expect(loadConfig({ IP_SYNC_TARGETS: TARGETS, IP_SYNC_DNS_SERVERS: raw }).dnsServers).toEqual(expected);
  });

  test.each(["1.2.3", "10.0.0.256", "10.0.0.2:0", "10.0.0.2:65536", "10.0.0.2:53x", "10.0.0.2:", "::1", "[::1]:53", "10.0.0.2,", "dns.example.com"])(
    "throws when IP_SYNC_DNS_SERVERS is %p", (raw) => {
      expect(() => loadConfig({ IP_SYNC_TARGETS: TARGETS, IP_SYNC_DNS_SERVERS: raw })).toThrow(/^ip-sync: IP_SYNC_DNS_SERVERS must be comma-separated IPv4 "ip" or "ip:port"/);
    });
});

describe("IP_SYNC_TARGETS", () => {
  test("is parsed, with availabilityZone defaulting to all and auto/null meaning none", () => {
    const targets = [entry("a"), entry("b", { availabilityZone: "auto" }), entry("c", { availabilityZone: null }), entry("d", { availabilityZone: "eu-west-2b", port: 3306 })];
    expect(loadConfig({ IP_SYNC_TARGETS: JSON.stringify(targets) }).targets).toEqual([
      { name: "a", host: "a.db.internal", port: 5432, targetGroupArn: arn("a"), availabilityZone: "all" },
      { name: "b", host: "b.db.internal", port: 5432, targetGroupArn: arn("b"), availabilityZone: undefined },
      { name: "c", host: "c.db.internal", port: 5432, targetGroupArn: arn("c"), availabilityZone: undefined },
      { name: "d", host: "d.db.internal", port: 3306, targetGroupArn: arn("d"), availabilityZone: "eu-west-2b" },
    ]);
  });

  test.each([
    ["missing", undefined, /^ip-sync: IP_SYNC_TARGETS is required: a JSON array of targets$/],
    ["not JSON", "[{name:", /must be a JSON array of targets \(/],
    ["empty", "", /must be a JSON array of targets/],
    ["an object", JSON.stringify(entry("db")), /must be a non-empty JSON array/],
    ["an empty array", "[]", /must be a non-empty JSON array/],
    ["a list holding a string", "[\"db\"]", /IP_SYNC_TARGETS\[0\] must be an object/],
    ["a list holding null", "[null]", /IP_SYNC_TARGETS\[0\] must be an object/],
    ["a target without host", JSON.stringify([{ ...entry("db"), host: undefined }]), /\[0\]\.host must be a non-empty string/],
    ["a target with an empty name", JSON.stringify([entry("db", { name: "" })]), /\[0\]\.name must be a non-empty string/],
    ["a target with port 0", JSON.stringify([entry("db", { port: 0 })]), /\[0\]\.port must be an integer from 1 to 65535, got 0/],
    ["a target with port 65536", JSON.stringify([entry("db", { port: 65536 })]), /\.port must be an integer/],
    ["a target with port \"5432\"", JSON.stringify([entry("db", { port: "5432" })]), /\.port must be an integer/],
    ["a target with a load balancer ARN", JSON.stringify([entry("db", { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/0123456789abcdef" })]), /\.targetGroupArn is not a target group ARN/],
    ["a target with availabilityZone \"any\"", JSON.stringify([entry("db", { availabilityZone: "any" })]), /\.availabilityZone must be "all", "auto", null or an AZ name, got "any"/],
    ["a target with availabilityZone 1", JSON.stringify([entry("db", { availabilityZone: 1 })]), /\.availabilityZone must be/],
    ["a target with an unknown key", JSON.stringify([entry("db", { targetGroupARN: "x" })]), /\[0\] has unknown keys: targetGroupARN/],
    ["two targets on one target group", JSON.stringify([entry("db"), entry("db", { name: "db2", port: 5433 })]), /lists target group .*targetgroup\/db\/.* twice/],
  ])("throws when IP_SYNC_TARGETS is %s", (_what, raw, message) => {
    expect(() => loadConfig({ IP_SYNC_TARGETS: raw })).toThrow(message);
  });
});

test("throws when the config is bad: on every invocation, before any AWS call, and reads the env again", async () => {
  const elb = new FakeElb();
  const environment: Record<string, string> = { ...env([entry("db")]), IP_SYNC_MISSES: "0" };
  const handler = createHandler(environment, () => ({ elb: elb as any, resolve4: fakeResolve4({}), log: () => undefined }));
  await expect(handler()).rejects.toThrow("IP_SYNC_MISSES must be a positive integer");
  await expect(handler()).rejects.toThrow("IP_SYNC_MISSES must be a positive integer");
  expect(elb.calls).toEqual([]);
  environment.IP_SYNC_MISSES = "1";
  elb.group(arn("db"), []);
  await expect(handler()).resolves.toMatchObject({ ok: true, targets: [{ skipped: "DNS error: ENOTFOUND" }] });
});
