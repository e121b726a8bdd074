// The IP sync's event path with jest's fake timers: which RDS events start an event run, which
// targets an event concerns, the 2-second poll until DNS follows a failover (60 s at most), and
// runs that take turns so an event arriving during a run is synced after it, not lost.
import { concernedTargets, EVENT_POLL_LIMIT_MS, parseRdsEvent, rdsEventPattern } from "../../src/ip-sync/events";
import { createHandler } from "../../src/ip-sync/handler";
import { FakeElb } from "./fake-elb";
import { arn, env } from "./helpers";

const OLD = "10.1.0.10";
const NEW = "10.2.0.20";
const ORDERS = "orders.cluster-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com";
const ORDERS_RO = "orders.cluster-ro-c1a2b3c4d5e6.us-east-1.rds.amazonaws.com";
const BILLING = "billing.c1a2b3c4d5e6.us-east-1.rds.amazonaws.com";
const target = (name: string, host: string) => ({ name, host, port: 5432, targetGroupArn: arn(name) });

/** An EventBridge RDS event as AWS sends it (docs: "Overview of events for Amazon RDS"). */
function rdsEvent(kind: "Instance" | "Cluster", id: string, eventId: string, sourceIdentifier = `rds:${id}`) {
  const type = kind === "Cluster" ? "cluster" : "db";
  const sourceArn = `arn:aws:rds:us-east-1:444455556666:${type}:${id}`;
  return {
    "version": "0", "id": "68f6e973-1a0c-d37b-f2f2-94a7f62ffd4e", "detail-type": `RDS DB ${kind} Event`, "source": "aws.rds",
    "account": "444455556666", "time": "2026-12-03T10:00:00Z", "region": "us-east-1", "resources": [sourceArn],
    "detail": { EventCategories: ["failover"], SourceType: kind === "Cluster" ? "CLUSTER" : "DB_INSTANCE", SourceArn: sourceArn,
      Date: "2026-12-03T10:00:00.123Z", Message: "A failover for the DB cluster has finished.", SourceIdentifier: sourceIdentifier, EventID: eventId },
  };
}

describe("which inputs are RDS events", () => {
  test.each([
    ["a cluster event, rds: prefix dropped", rdsEvent("Cluster", "orders", "RDS-EVENT-0071"), "orders"],
    ["an instance event", rdsEvent("Instance", "billing", "RDS-EVENT-0049"), "billing"],
    ["an identifier without the prefix, upper-case", rdsEvent("Cluster", "orders", "RDS-EVENT-0071", "Orders"), "orders"],
    ["no SourceIdentifier: the ARN's last part", { ...rdsEvent("Cluster", "orders", "RDS-EVENT-0071"), detail: { EventID: "RDS-EVENT-0071" } }, "orders"],
  ])("%s", (_what, input, source) => {
    expect(parseRdsEvent(input)).toMatchObject({ source });
  });

  test.each([
    ["no input (a manual invocation)", undefined],
    ["the first run during apply", { source: "terraform-apply" }],
    ["the schedule's event", { "source": "aws.events", "detail-type": "Scheduled Event", "detail": {} }],
    ["an RDS snapshot event", { ...rdsEvent("Cluster", "orders", "RDS-EVENT-0074"), "detail-type": "RDS DB Cluster Snapshot Event" }],
    ["a string", "aws.rds"],
  ])("%s is a scheduled run", (_what, input) => {
    expect(parseRdsEvent(input)).toBeUndefined();
  });

  test("the rules' pattern matches the detail types and event IDs the handler accepts", () => {
    const pattern = rdsEventPattern() as any;
    expect(pattern.source).toEqual(["aws.rds"]);
    expect(pattern["detail-type"]).toEqual(["RDS DB Instance Event", "RDS DB Cluster Event"]);
    expect(pattern.detail.EventID).toEqual(expect.arrayContaining(["RDS-EVENT-0071", "RDS-EVENT-0049", "RDS-EVENT-0015", "RDS-EVENT-0006"]));
    expect(new Set(pattern.detail.EventID).size).toBe(pattern.detail.EventID.length);
  });
});

describe("which targets an event concerns", () => {
  const targets = [target("orders", ORDERS), target("orders-ro", ORDERS_RO), target("billing", `${BILLING.toUpperCase()}.`)];
  test("the cluster's writer and reader endpoints", () => {
    expect(concernedTargets(targets, { source: "orders" })).toEqual({ targets: targets.slice(0, 2), matched: true });
  });
  test("an instance endpoint pasted with capitals and a trailing dot", () => {
    expect(concernedTargets(targets, { source: "billing" })).toEqual({ targets: [targets[2]], matched: true });
  });
  test.each([["an unknown identifier", "payroll"], ["no identifier", ""]])("%s: every target", (_what, source) => {
    expect(concernedTargets(targets, { source })).toEqual({ targets, matched: false });
  });
});

describe("an event run", () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  /** A handler whose resolver answers `answer()` at each lookup, and the times of its registrations. */
  function setUp(answer: (host: string) => string[]) {
    const elb = new FakeElb().group(arn("orders"), [{ ip: OLD }]).group(arn("billing"), [{ ip: OLD }]);
    const registered: Array<{ at: number; arn: string }> = [];
    const send = elb.send.bind(elb);
    (elb as any).send = async (command: any) => {
      if (command.constructor.name === "RegisterTargetsCommand") registered.push({ at: Date.now(), arn: command.input.TargetGroupArn });
      return send(command);
    };
    const lookups: Array<{ at: number; host: string }> = [];
    const logs: any[] = [];
    const handler = createHandler(env([target("orders", ORDERS), target("billing", BILLING)]), () => ({
      elb: elb as any,
      resolve4: async (host: string) => { lookups.push({ at: Date.now(), host }); return answer(host); },
      log: (e) => logs.push(e),
    }));
    return { elb, handler, registered, lookups, logs };
  }

  test("polls every 2 s until DNS follows the failover, registers the new address at once, leaves other targets alone", async () => {
    const { elb, handler, registered, lookups, logs } = setUp((host) => (host === ORDERS && Date.now() >= 7_000 ? [NEW] : [OLD]));
    const result = handler(rdsEvent("Cluster", "orders", "RDS-EVENT-0071"));
    await jest.advanceTimersByTimeAsync(20_000);
    const r = await result;

    expect(lookups.filter((l) => l.host === ORDERS).map((l) => l.at)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 8_000]);
    expect(registered).toEqual([{ at: 8_000, arn: arn("orders") }]);
    expect(lookups.some((l) => l.host === BILLING)).toBe(false);
    expect(elb.ips(arn("orders"))).toEqual([NEW]);
    expect(r).toMatchObject({ ok: true, event: { source: "orders", eventId: "RDS-EVENT-0071", matched: true }, targets: [{ name: "orders", registered: [NEW], deregistered: [OLD] }] });
    expect(logs.map((l) => l.event)).toEqual(["rds-event", "dns-changed", "register", "deregister", "summary"]);
    expect(logs[1]).toEqual({ event: "dns-changed", target: "orders", waitedMs: 8_000 });
    expect(logs.at(-1)).toMatchObject({ trigger: "rds:orders", targets: 1 });
  });

  test("an answer that never changes: 60 s of polling, then a sync that writes nothing", async () => {
    const { elb, handler, lookups, logs } = setUp(() => [OLD]);
    const result = handler(rdsEvent("Cluster", "orders", "RDS-EVENT-0072"));
    await jest.advanceTimersByTimeAsync(EVENT_POLL_LIMIT_MS + 10_000);
    await result;

    const times = lookups.map((l) => l.at);
    expect(times.slice(0, -1)).toEqual(Array.from({ length: 31 }, (_, i) => i * 2_000));
    expect(elb.writes()).toEqual([]);
    expect(logs[1]).toEqual({ event: "dns-unchanged", target: "orders", waitedMs: 60_000 });
  });

  test("bad answers (errors, public addresses) while DNS moves keep it polling; they never count as the change", async () => {
    const answers: Array<string[] | Error> = [Object.assign(new Error("timeout"), { code: "ETIMEOUT" }), ["8.8.8.8"], [], [NEW]];
    const { handler, registered } = setUp(() => {
      const a = answers.length > 1 ? answers.shift()! : answers[0];
      if (a instanceof Error) throw a;
      return a;
    });
    const result = handler(rdsEvent("Instance", "orders", "RDS-EVENT-0049"));
    await jest.advanceTimersByTimeAsync(20_000);
    await result;
    expect(registered).toEqual([{ at: 6_000, arn: arn("orders") }]);
  });

  test("an event for a database no target names: every target is polled and synced", async () => {
    const { handler, logs } = setUp(() => [NEW]);
    const result = handler(rdsEvent("Instance", "orders-instance-1", "RDS-EVENT-0049"));
    await jest.advanceTimersByTimeAsync(1_000);
    const r = await result;
    expect(r.event).toEqual({ source: "orders-instance-1", eventId: "RDS-EVENT-0049", matched: false });
    expect(r.targets.map((t) => [t.name, t.registered])).toEqual([["orders", [NEW]], ["billing", [NEW]]]);
    expect(logs[0]).toMatchObject({ event: "rds-event", matched: false, targets: ["orders", "billing"] });
  });

  test("one run at a time: a second event during a run's poll starts when it ends, and is synced", async () => {
    const { handler, registered } = setUp((host) => (host === ORDERS && Date.now() < 10_000 ? [OLD] : [NEW]));
    const first = handler(rdsEvent("Cluster", "orders", "RDS-EVENT-0072"));
    await jest.advanceTimersByTimeAsync(3_000);
    const second = handler(rdsEvent("Instance", "billing", "RDS-EVENT-0049"));
    await jest.advanceTimersByTimeAsync(30_000);
    const [a, b] = await Promise.all([first, second]);

    expect(registered).toEqual([{ at: 10_000, arn: arn("orders") }, { at: 10_000, arn: arn("billing") }]);
    expect(a.targets.map((t) => t.name)).toEqual(["orders"]);
    expect(b.targets.map((t) => t.name)).toEqual(["billing"]);
  });

  test("a scheduled run is unchanged: every target once, no polling", async () => {
    const { handler, lookups } = setUp(() => [NEW]);
    const r = await handler({ "source": "aws.events", "detail-type": "Scheduled Event" });
    expect(lookups.map((l) => l.at)).toEqual([0, 0]);
    expect(r.event).toBeUndefined();
    expect(r.targets.map((t) => t.registered)).toEqual([[NEW], [NEW]]);
  });
});
