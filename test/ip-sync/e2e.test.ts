// End to end: the real handler module (lib/ip-sync/handler.js when built, else the TypeScript
// source) with the real SDK client against a local fake of the ELBv2 Query API, and a real
// dns.promises.Resolver against a local UDP DNS server: a scheduled failover, and the event
// path's budget (the new address registered within 5 s of the DNS change). Loopback only.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MISSES_TAG } from "../../src/ip-sync/handler";
import { DnsServer, startDnsServer } from "./dns-server";
import { ElbServer, startElbServer } from "./elb-server";
import { FakeElb } from "./fake-elb";
import { arn, entry } from "./helpers";

const LIB = path.join(__dirname, "..", "..", "lib", "ip-sync", "handler.js");
const SRC = path.join(__dirname, "..", "..", "src", "ip-sync", "handler");
/** The compiled module, unless it is missing or older than its source (a stale build). */
const MODULE = fs.existsSync(LIB) && fs.statSync(LIB).mtimeMs >= fs.statSync(`${SRC}.ts`).mtimeMs ? LIB : SRC;
const DB = arn("db");
const OLD = "10.1.0.10";
const NEW = "10.2.0.20";

let dns: DnsServer;
let api: ElbServer;
let elb: FakeElb;
let logs: any[];
const saved = { ...process.env };

beforeAll(async () => {
  elb = new FakeElb().group(DB, [{ ip: OLD }]).group(arn("gone"), [{ ip: OLD }]).group(arn("stranger"), [{ ip: OLD }]);
  dns = await startDnsServer({ "db.db.internal": [OLD] });
  api = await startElbServer(elb);
  for (const key of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]) delete process.env[key];
  const nowhere = path.join(os.tmpdir(), `ip-sync-no-aws-config-${process.pid}`);
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: api.url,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    IP_SYNC_TARGETS: JSON.stringify([entry("db"), entry("gone")]),
    IP_SYNC_MISSES: "2",
    IP_SYNC_DNS_SERVERS: `127.0.0.1:${dns.port}`,
  });
  logs = [];
  // The handler writes bare JSON lines to stdout (metric filters parse them).
  const write = process.stdout.write.bind(process.stdout);
  jest.spyOn(process.stdout, "write").mockImplementation((chunk: any, ...rest: any[]) => {
    const text = String(chunk);
    if (!text.startsWith("{\"event\"")) return write(chunk, ...rest);
    logs.push(JSON.parse(text));
    return true;
  });
});

afterAll(async () => {
  jest.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await Promise.all([api?.close(), dns?.close()]);
});

test(`a failover end to end: real SDK over HTTP, real resolver over UDP (${path.relative(process.cwd(), MODULE)})`, async () => {
  const { handler } = await import(MODULE);
  const writes = () => elb.writes().map((c) => `${c.action} ${c.input.TargetGroupArn ?? c.input.ResourceArns.join(",")}`);

  // Steady state: nothing to do; the unresolvable target is skipped.
  const steady = await handler();
  expect(steady).toMatchObject({ ok: true, errors: 0, targets: [{ name: "db", registered: [], deregistered: [] }, { name: "gone", skipped: "DNS error: ENOTFOUND" }] });
  expect(writes()).toEqual([]);

  // Failover: the new IP is registered, the old one has one miss (IP_SYNC_MISSES=2) ...
  dns.answers.set("db.db.internal", [NEW]);
  const first = await handler();
  expect(first.targets[0]).toEqual({ name: "db", targetGroupArn: DB, registered: [NEW], deregistered: [], misses: { [OLD]: 1 } });
  expect(elb.tag(DB, MISSES_TAG)).toBe(`${OLD}=1`);
  expect(elb.groups.get(DB)!.targets).toContainEqual({ ip: NEW, port: 5432, az: "all", state: "initial" });

  // ... and is deregistered on the next run, its count removed.
  const second = await handler();
  expect(second.targets[0]).toEqual({ name: "db", targetGroupArn: DB, registered: [], deregistered: [OLD], misses: {} });
  expect(elb.ips(DB)).toEqual([NEW]);
  expect(elb.groups.get(DB)!.targets).toContainEqual({ ip: OLD, port: 5432, az: "all", state: "draining" });
  expect(elb.tag(DB, MISSES_TAG)).toBeUndefined();

  // A rerun writes nothing.
  await handler();
  expect(writes()).toEqual([`RegisterTargets ${DB}`, `AddTags ${DB}`, `DeregisterTargets ${DB}`, `RemoveTags ${DB}`]);
  expect(elb.ips(arn("gone"))).toEqual([OLD]);
  expect(elb.ips(arn("stranger"))).toEqual([OLD]);

  // The requests went through the SDK, signed with the environment's credentials; DNS over UDP.
  expect(api.requests.length).toBe(elb.calls.length);
  for (const r of api.requests) expect(r.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/elasticloadbalancing\/aws4_request/);
  expect(dns.queries.filter((q) => q === "db.db.internal")).toHaveLength(4);
  expect(logs.map((l) => l.event)).toEqual([
    "skipped", "summary", // steady
    "skipped", "register", "miss", "summary", // failover
    "skipped", "deregister", "summary", // second run
    "skipped", "summary", // rerun
  ]);
}, 30_000);

test("an RDS failover event: the new address is registered within 5 s of the DNS change", async () => {
  const { handler } = await import(MODULE);
  const registered: number[] = [];
  const call = elb.call.bind(elb);
  elb.call = (action: string, input: any) => {
    if (action === "RegisterTargets" && input.TargetGroupArn === DB) registered.push(Date.now());
    return call(action, input);
  };
  const LATER = "10.3.0.30";
  logs.length = 0;
  // The event reaches the function before DNS moves (Aurora: "failover started" events, or a
  // resolver that still answers the old address); DNS changes 3 s later.
  const event = {
    "version": "0", "id": "68f6e973-1a0c-d37b-f2f2-94a7f62ffd4e", "detail-type": "RDS DB Cluster Event", "source": "aws.rds",
    "account": "444455556666", "time": new Date().toISOString(), "region": "us-east-1",
    "resources": ["arn:aws:rds:us-east-1:444455556666:cluster:db"],
    "detail": { EventCategories: ["failover"], SourceType: "CLUSTER", SourceArn: "arn:aws:rds:us-east-1:444455556666:cluster:db",
      Message: "A failover for the DB cluster has begun across Availability Zones.", SourceIdentifier: "rds:db", EventID: "RDS-EVENT-0073" },
  };
  let changedAt = 0;
  const timer = setTimeout(() => { dns.answers.set("db.db.internal", [LATER]); changedAt = Date.now(); }, 3_000);
  try {
    const result = await handler(event);
    expect(result).toMatchObject({ ok: true, event: { source: "db", matched: true }, targets: [{ name: "db", registered: [LATER] }] });
  } finally {
    clearTimeout(timer);
    elb.call = call;
  }
  const delay = registered[0] - changedAt;
  process.stderr.write(`ip-sync event path on loopback: registered ${delay} ms after the DNS change\n`);
  expect(registered).toHaveLength(1);
  expect(delay).toBeGreaterThanOrEqual(0);
  expect(delay).toBeLessThanOrEqual(5_000);
  expect(logs.map((l) => l.event)).toEqual(["rds-event", "dns-changed", "register", "miss", "summary"]);
  expect(elb.ips(arn("gone"))).toEqual([OLD]); // the event concerned "db" only
}, 30_000);
