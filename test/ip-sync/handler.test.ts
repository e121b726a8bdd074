import { formatMissTag, isPrivate, MISSES_TAG, parseMissTag } from "../../src/ip-sync/handler";
import { apiError, FakeElb, WRITES } from "./fake-elb";
import { arn, dnsError, entry, env, events, run } from "./helpers";

const DB = arn("db");
const OLD = "10.1.0.10";
const NEW = "10.2.0.20";

describe("failover", () => {
  test("with IP_SYNC_MISSES 1: the new IP is registered and the old one deregistered in one run", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD }]);
    const { result, logs } = await run(env([entry("db")]), elb, { "db.db.internal": [NEW] });

    expect(elb.ips(DB)).toEqual([NEW]);
    expect(elb.writes()).toEqual([
      { action: "RegisterTargets", input: { TargetGroupArn: DB, Targets: [{ Id: NEW, Port: 5432, AvailabilityZone: "all" }] } },
      { action: "DeregisterTargets", input: { TargetGroupArn: DB, Targets: [{ Id: OLD, Port: 5432, AvailabilityZone: "all" }] } },
    ]);
    expect(elb.tag(DB, MISSES_TAG)).toBeUndefined();
    expect(result).toEqual({ ok: true, errors: 0, targets: [{ name: "db", targetGroupArn: DB, registered: [NEW], deregistered: [OLD], misses: {} }] });
    expect(events(logs)).toEqual(["register", "deregister", "summary"]);
    expect(logs[0]).toMatchObject({ event: "register", target: "db", targetGroupArn: DB, ips: [NEW], port: 5432 });
    expect(logs[1]).toMatchObject({ event: "deregister", target: "db", targetGroupArn: DB, ips: [OLD] });
    expect(logs[2]).toEqual({ event: "summary", targets: 1, registered: 1, deregistered: 1, misses: 0, skipped: 0, errors: 0 });
  });

  test("with IP_SYNC_MISSES 2: the old IP stays one run with its miss in the tag, then goes", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD }]);
    const config = env([entry("db")], 2);

    const first = await run(config, elb, { "db.db.internal": [NEW] });
    expect(elb.ips(DB)).toEqual([OLD, NEW]);
    expect(elb.tag(DB, MISSES_TAG)).toBe(`${OLD}=1`);
    expect(first.result.targets[0]).toMatchObject({ registered: [NEW], deregistered: [], misses: { [OLD]: 1 } });
    expect(events(first.logs)).toEqual(["register", "miss", "summary"]);
    expect(first.logs[1]).toMatchObject({ event: "miss", target: "db", targetGroupArn: DB, ips: [OLD], misses: { [OLD]: 1 } });

    const second = await run(config, elb, { "db.db.internal": [NEW] });
    expect(elb.ips(DB)).toEqual([NEW]);
    expect(elb.tag(DB, MISSES_TAG)).toBeUndefined();
    expect(second.result.targets[0]).toMatchObject({ registered: [], deregistered: [OLD], misses: {} });
    expect(elb.writes().map((c) => c.action)).toEqual(["RegisterTargets", "AddTags", "DeregisterTargets", "RemoveTags"]);
  });
});

describe("a bad answer changes nothing", () => {
  test.each([
    ["a DNS error (NXDOMAIN)", dnsError("ENOTFOUND"), "DNS error: ENOTFOUND", []],
    ["a DNS timeout", dnsError("ETIMEOUT"), "DNS error: ETIMEOUT", []],
    ["an empty answer", [], "empty DNS answer", []],
    ["a public address among private ones", [NEW, "8.8.8.8"], "not a private address: 8.8.8.8", ["8.8.8.8", NEW]],
    ["an address just outside 172.16.0.0/12", ["172.32.0.1"], "not a private address: 172.32.0.1", ["172.32.0.1"]],
    ["an address just outside 100.64.0.0/10", ["100.128.0.1"], "not a private address: 100.128.0.1", ["100.128.0.1"]],
  ])("%s: no write, the miss counts unchanged, the reason logged", async (_what, answer, reason, ips) => {
    const elb = new FakeElb().group(DB, [{ ip: OLD }, { ip: "10.1.0.11" }], { [MISSES_TAG]: `${OLD}=1` });
    const { result, logs } = await run(env([entry("db")], 3), elb, { "db.db.internal": answer });

    expect(elb.calls).toEqual([]);
    expect(elb.ips(DB)).toEqual([OLD, "10.1.0.11"]);
    expect(elb.tag(DB, MISSES_TAG)).toBe(`${OLD}=1`);
    expect(result).toMatchObject({ ok: true, targets: [{ skipped: reason, registered: [], deregistered: [] }] });
    expect(events(logs)).toEqual(["skipped", "summary"]);
    expect(logs[0]).toMatchObject({ event: "skipped", target: "db", targetGroupArn: DB, host: "db.db.internal", reason, ips });
  });

  test.each([
    ["10.0.0.0", true], ["10.255.255.255", true], ["172.16.0.0", true], ["172.31.255.255", true], ["192.168.0.1", true],
    ["100.64.0.0", true], ["100.127.255.255", true], ["9.255.255.255", false], ["11.0.0.0", false], ["172.15.255.255", false],
    ["172.32.0.0", false], ["192.167.255.255", false], ["192.169.0.0", false], ["100.63.255.255", false], ["100.128.0.0", false],
    ["127.0.0.1", false], ["169.254.169.254", false], ["0.0.0.0", false], ["10.0.0", false], ["::1", false], ["10.0.0.1.", false],
  ])("isPrivate(%p) is %p", (ip, expected) => {
    expect(isPrivate(ip)).toBe(expected);
  });
});

test("flapping answers (A, B, A, B) with IP_SYNC_MISSES 2 deregister nothing", async () => {
  const elb = new FakeElb().group(DB, [{ ip: OLD }]);
  const tags: Array<string | undefined> = [];
  for (const answer of [OLD, NEW, OLD, NEW]) {
    const { result } = await run(env([entry("db")], 2), elb, { "db.db.internal": [answer] });
    expect(result.targets[0].deregistered).toEqual([]);
    tags.push(elb.tag(DB, MISSES_TAG));
  }
  expect(elb.ips(DB)).toEqual([OLD, NEW]);
  expect(tags).toEqual([undefined, `${OLD}=1`, `${NEW}=1`, `${OLD}=1`]);
  expect(elb.calls.filter((c) => c.action === "DeregisterTargets")).toEqual([]);
});

describe("several targets", () => {
  const targets = [entry("a"), entry("b"), entry("c")];
  const answers = { "a.db.internal": ["10.0.0.2"], "b.db.internal": ["10.0.0.3"], "c.db.internal": ["10.0.0.4"] };
  const fleet = () => new FakeElb().group(arn("a"), [{ ip: "10.0.0.1" }]).group(arn("b"), [{ ip: "10.0.0.1" }]).group(arn("c"), [{ ip: "10.0.0.1" }]);

  test("an AWS error on one is logged and reported; the others are synced and the invocation succeeds", async () => {
    const elb = fleet();
    elb.failures.set(`DescribeTargetHealth ${arn("b")}`, apiError("AccessDenied", "not authorized to perform: elasticloadbalancing:DescribeTargetHealth"));
    const { result, logs } = await run(env(targets), elb, answers);

    expect(elb.ips(arn("a"))).toEqual(["10.0.0.2"]);
    expect(elb.ips(arn("b"))).toEqual(["10.0.0.1"]);
    expect(elb.ips(arn("c"))).toEqual(["10.0.0.4"]);
    expect(result.ok).toBe(false);
    expect(result.errors).toBe(1);
    expect(result.targets.map((t) => t.error)).toEqual([undefined, "AccessDenied: not authorized to perform: elasticloadbalancing:DescribeTargetHealth", undefined]);
    expect(logs.filter((l) => l.event === "error")).toEqual([{ event: "error", target: "b", targetGroupArn: arn("b"), ips: [], error: result.targets[1].error }]);
    expect(logs.at(-1)).toMatchObject({ event: "summary", targets: 3, registered: 2, deregistered: 2, errors: 1 });
  });

  test("a failed registration leaves the old IP registered and its count untouched", async () => {
    const elb = fleet();
    elb.failures.set(`RegisterTargets ${arn("a")}`, apiError("Throttling", "Rate exceeded"));
    const { result } = await run(env(targets), elb, answers);

    expect(elb.ips(arn("a"))).toEqual(["10.0.0.1"]);
    expect(elb.writes().filter((c) => c.input.TargetGroupArn === arn("a")).map((c) => c.action)).toEqual(["RegisterTargets"]);
    expect(result.targets[0]).toMatchObject({ error: "Throttling: Rate exceeded", deregistered: [] });
    expect(result.targets[2]).toMatchObject({ registered: ["10.0.0.4"], deregistered: ["10.0.0.1"] });
  });

  test("a DNS failure on one skips only that one", async () => {
    const elb = fleet();
    const { result } = await run(env(targets), elb, { ...answers, "b.db.internal": dnsError("ESERVFAIL") });
    expect(result.targets.map((t) => t.skipped)).toEqual([undefined, "DNS error: ESERVFAIL", undefined]);
    expect(result.ok).toBe(true);
    expect(elb.ips(arn("b"))).toEqual(["10.0.0.1"]);
  });
});

test("a second identical run makes no write call and logs only its summary", async () => {
  const elb = new FakeElb().group(DB, [{ ip: OLD }]);
  await run(env([entry("db")]), elb, { "db.db.internal": [NEW, "10.2.0.21"] });
  const before = elb.calls.length;
  const again = await run(env([entry("db")]), elb, { "db.db.internal": ["10.2.0.21", NEW] });

  expect(elb.calls.slice(before).map((c) => c.action)).toEqual(["DescribeTargetHealth", "DescribeTags"]);
  expect(events(again.logs)).toEqual(["summary"]);
  expect(again.result.targets[0]).toEqual({ name: "db", targetGroupArn: DB, registered: [], deregistered: [], misses: {} });
});

describe("miss counts live only in the tag", () => {
  test("counted across fresh handler instances until IP_SYNC_MISSES (3)", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD }, { ip: NEW }]);
    const seen = [];
    for (let i = 0; i < 3; i++) {
      await run(env([entry("db")], 3), elb, { "db.db.internal": [NEW] });
      seen.push([elb.ips(DB), elb.tag(DB, MISSES_TAG)]);
    }
    expect(seen).toEqual([[[OLD, NEW], `${OLD}=1`], [[OLD, NEW], `${OLD}=2`], [[NEW], undefined]]);
  });

  test("a count written into the tag by someone else is honoured", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD }, { ip: NEW }], { [MISSES_TAG]: `${OLD}=2` });
    const { result } = await run(env([entry("db")], 3), elb, { "db.db.internal": [NEW] });
    expect(result.targets[0].deregistered).toEqual([OLD]);
  });

  test("an IP back in the answer has its count cleared", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD }, { ip: NEW }], { [MISSES_TAG]: `${OLD}=2 ${NEW}=1` });
    await run(env([entry("db")], 3), elb, { "db.db.internal": [OLD, NEW] });
    expect(elb.tag(DB, MISSES_TAG)).toBeUndefined();
    expect(elb.writes()).toEqual([{ action: "RemoveTags", input: { ResourceArns: [DB], TagKeys: [MISSES_TAG] } }]);
  });

  test("counts for IPs no longer registered and unreadable entries are dropped", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD }], { [MISSES_TAG]: `10.9.9.9=1 garbage ${OLD}=1 300.1.1.1=1` });
    await run(env([entry("db")], 3), elb, { "db.db.internal": [NEW] });
    expect(elb.tag(DB, MISSES_TAG)).toBe(`${OLD}=2`);
  });
});

describe("draining targets", () => {
  test("a draining IP that comes back is registered again", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD, state: "draining" }, { ip: NEW }]);
    const { result } = await run(env([entry("db")], 2), elb, { "db.db.internal": [OLD, NEW] });
    expect(result.targets[0].registered).toEqual([OLD]);
    expect(elb.ips(DB)).toEqual([OLD, NEW]);
  });

  test("a draining IP absent from the answer counts no miss", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD, state: "draining" }, { ip: NEW }]);
    const { result } = await run(env([entry("db")], 2), elb, { "db.db.internal": [NEW] });
    expect(elb.writes()).toEqual([]);
    expect(result.targets[0].misses).toEqual({});
  });

  test("a target on another port of the same group is left alone", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD, port: 8080 }, { ip: NEW }]);
    await run(env([entry("db")]), elb, { "db.db.internal": [NEW] });
    expect(elb.writes()).toEqual([]);
  });
});

test.each([
  ["absent", {}, "all"],
  ["\"all\"", { availabilityZone: "all" }, "all"],
  ["an AZ name", { availabilityZone: "us-east-1a" }, "us-east-1a"],
  ["\"auto\"", { availabilityZone: "auto" }, undefined],
  ["null", { availabilityZone: null }, undefined],
])("availabilityZone %s registers with AvailabilityZone %p", async (_what, extra, az) => {
  const elb = new FakeElb().group(DB, []);
  await run(env([entry("db", extra)]), elb, { "db.db.internal": [NEW] });
  const [target] = elb.writes()[0].input.Targets;
  expect(target).toEqual(az === undefined ? { Id: NEW, Port: 5432 } : { Id: NEW, Port: 5432, AvailabilityZone: az });
  expect("AvailabilityZone" in target).toBe(az !== undefined);
});

test("deregistration uses the zone the target was registered with", async () => {
  const elb = new FakeElb().group(DB, [{ ip: OLD, az: undefined }]);
  await run(env([entry("db")]), elb, { "db.db.internal": [NEW] });
  expect(elb.writes()[1].input.Targets).toEqual([{ Id: OLD, Port: 5432 }]);
});

describe("the tag value", () => {
  test("is ip=count pairs sorted numerically by IP, space-separated", () => {
    expect(formatMissTag(new Map([["10.1.0.10", 2], ["10.1.0.9", 1], ["9.0.0.1", 1]])).value).toBe("9.0.0.1=1 10.1.0.9=1 10.1.0.10=2");
    expect(parseMissTag("10.1.0.10=1  10.1.0.11=2")).toEqual(new Map([["10.1.0.10", 1], ["10.1.0.11", 2]]));
  });

  test("is written only when it changes", async () => {
    const elb = new FakeElb().group(DB, [{ ip: OLD }, { ip: NEW }], { [MISSES_TAG]: `${OLD}=1` });
    await run(env([entry("db")], 3), elb, { "db.db.internal": [OLD, NEW] });
    await run(env([entry("db")], 3), elb, { "db.db.internal": [OLD, NEW] });
    expect(elb.writes().map((c) => c.action)).toEqual(["RemoveTags"]);
  });

  test("stays within 256 characters of ELBv2's tag character set, dropping the lowest counts", async () => {
    const many = Array.from({ length: 20 }, (_, i) => `10.100.100.${100 + i}`);
    const counts = many.map((ip, i) => `${ip}=${i < 10 ? 2 : 1}`).join(" ");
    const elb = new FakeElb().group(DB, many.map((ip) => ({ ip })), { [MISSES_TAG]: counts.slice(0, 256).replace(/ \S*$/, "") });
    const { logs, result } = await run(env([entry("db")], 5), elb, { "db.db.internal": ["10.100.101.1"] });

    const value = elb.tag(DB, MISSES_TAG)!;
    expect(value.length).toBeLessThanOrEqual(256);
    expect(value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
    const kept = parseMissTag(value);
    expect(kept.size).toBe(15);
    expect(Object.keys(result.targets[0].misses)).toHaveLength(15);
    expect([...kept.values()].filter((n) => n === 3)).toHaveLength(10);
    const truncated = logs.find((l) => l.event === "misses-truncated");
    expect(truncated).toMatchObject({ target: "db", targetGroupArn: DB });
    expect(truncated.ips).toHaveLength(5);
    for (const ip of truncated.ips) expect(kept.has(ip)).toBe(false);
  });
});

test("no write ever reaches a target group that is not configured", async () => {
  const other = arn("other");
  const elb = new FakeElb().group(DB, [{ ip: OLD }]).group(other, [{ ip: OLD }], { [MISSES_TAG]: `${OLD}=1` });
  for (const misses of [1, 2]) {
    await run(env([entry("db")], misses), elb, { "db.db.internal": [NEW], "other.db.internal": [NEW] });
    await run(env([entry("db")], misses), elb, { "db.db.internal": [OLD] });
  }
  expect(elb.writes().length).toBeGreaterThan(0);
  for (const call of elb.calls) expect([call.input.TargetGroupArn, ...(call.input.ResourceArns ?? [])].filter(Boolean)).toEqual([DB]);
  expect(elb.ips(other)).toEqual([OLD]);
  expect(elb.tag(other, MISSES_TAG)).toBe(`${OLD}=1`);
  expect(WRITES).toHaveLength(4);
});
