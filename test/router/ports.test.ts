import * as fs from "fs";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { PortAssignment, PrivateLinkRouter, RouterTarget } from "../../src";
import { dnsTargets, local, newStack, routerProps, synth, tmpDir } from "../helpers";
import { checkInvariants } from "../invariants";

let stack: TerraformStack;
beforeEach(() => {
  ({ stack } = newStack());
});

const ports = (r: PrivateLinkRouter) => Object.fromEntries(r.routes.map((x) => [x.name, [x.listenerPort, x.shard]]));

describe("SEQUENTIAL", () => {
  test("unpinned targets take the lowest free port from basePort", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(3), basePort: 20000 }));
    expect(ports(router)).toEqual({ db0: [20000, 0], db1: [20001, 0], db2: [20002, 0] });
  });

  test("pinned ports are reserved before unpinned targets are placed, in any order", () => {
    const targets: RouterTarget[] = [...dnsTargets(2), { name: "pinned", host: "p.example.com", port: 5432, listenerPort: 10000 }];
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets }));
    expect(ports(router)).toEqual({ db0: [10001, 0], db1: [10002, 0], pinned: [10000, 0] });
  });

  test("shard k owns basePort + k*M .. basePort + (k+1)*M - 1", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(5), maxTargetsPerLoadBalancer: 2 }));
    expect(router.routes.map((r) => [r.listenerPort, r.shard])).toEqual([[10000, 0], [10001, 0], [10002, 1], [10003, 1], [10004, 2]]);
    expect(router.shards.map((s) => s.routes.map((r) => r.name))).toEqual([["db0", "db1"], ["db2", "db3"], ["db4"]]);
  });

  test("a pinned port inside the range of an existing shard or of the next one lands there", () => {
    const targets: RouterTarget[] = [
      ...dnsTargets(3),
      { name: "mine", host: "mine.example.com", port: 1, listenerPort: 10008 }, // shard 0's range
      { name: "next", host: "next.example.com", port: 1, listenerPort: 10012 }, // shard 1's range: the next shard
    ];
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets, maxTargetsPerLoadBalancer: 10 }));
    expect(ports(router)).toMatchObject({ mine: [10008, 0], next: [10012, 1] });
  });

  test.each([
    // [pinned port, shard it lands in]: shards are numbered densely, whatever the pin
    [15000, 0],
    [10105, 0],
    [10009, 0],
    [10010, 0],
  ])("a lone pin at %d never opens a sparse shard: it lands in shard %d", (listenerPort, shard) => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [{ name: "far", host: "far.example.com", port: 1, listenerPort }], maxTargetsPerLoadBalancer: 10 }));
    expect(router.routes[0]).toMatchObject({ listenerPort, shard });
    expect(router.shards.map((s) => s.index)).toEqual([0]);
  });

  test("a pin far from basePort goes to the first shard with room; its neighbours stay dense", () => {
    const targets: RouterTarget[] = [...dnsTargets(10), { name: "far", host: "far.example.com", port: 1, listenerPort: 15000 }];
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets, maxTargetsPerLoadBalancer: 10 }));
    expect(ports(router).far).toEqual([15000, 1]);
    expect(router.shards.map((s) => s.index)).toEqual([0, 1]);
  });

  test("a pinned port outside every range goes to the first shard with room", () => {
    const targets: RouterTarget[] = [...dnsTargets(2), { name: "low", host: "low.example.com", port: 5432, listenerPort: 5432 }];
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets, maxTargetsPerLoadBalancer: 2 }));
    expect(ports(router)).toEqual({ db0: [10000, 0], db1: [10001, 0], low: [5432, 1] });
    // db-next takes the lowest free port whose shard has room: shard 1 has one slot left.
    expect(router.addTarget({ name: "next", host: "n.example.com", port: 1 })).toMatchObject({ listenerPort: 10002, shard: 1 });
    expect(router.addTarget({ name: "after", host: "a.example.com", port: 1 })).toMatchObject({ listenerPort: 10004, shard: 2 });
  });

  test.each([
    ["given in sequence", [] as RouterTarget[], 'pin another port for "late", or pass "late" in `targets` rather than addTarget(), so that its pin is reserved before ports are given in sequence'],
    ["pinned", [{ name: "pin", host: "pin.example.com", port: 1, listenerPort: 10000 }], "pin another port or remove one of the two pins"],
  ])("a pin on a taken port says how the holder got it (%s)", (how, first, fix) => {
    const targets = first.length > 0 ? first : dnsTargets(1);
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets }));
    expect(() => router.addTarget({ name: "late", host: "late.example.com", port: 1, listenerPort: 10000 }))
      .toThrow(`\`listenerPort\` 10000 of target "late" is already the listener port of target "${targets[0].name}" (${how}); ${fix}`);
  });

  test("throws when two targets pin the same listener port", () => {
    const targets: RouterTarget[] = [
      { name: "a", host: "a.example.com", port: 1, listenerPort: 15000 },
      { name: "b", host: "b.example.com", port: 1, listenerPort: 15000 },
    ];
    expect(() => new PrivateLinkRouter(stack, "Router", routerProps({ targets })))
      .toThrow(/test\/Router: `listenerPort` 15000 of target "b" is already the listener port of target "a"/);
  });

  test.each([
    [65535, 1, true],
    [65535, 2, false],
    [65486, 50, true],
    [65487, 50, false],
  ])("basePort %i with %i targets fits: %s", (basePort, n, fits) => {
    const make = () => new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(n), basePort }));
    if (fits) expect(make).not.toThrow();
    else expect(make).toThrow(/no free listener port is left for target "db\d+": `basePort` \d+ plus the targets placed so far passes 65535; lower `basePort`/);
  });
});

describe("shared domain names", () => {
  // SQL Server on 1433 and 1434: one host, two targets; a name resolves to one endpoint.
  const sql = (name: string, port: number, extra: Partial<RouterTarget> = {}): RouterTarget => ({ name, host: "sql.corp.internal", port, ...extra });

  test("a target sharing a domain name joins the first one's shard, at the lowest free port of its range", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [sql("a", 1433), ...dnsTargets(1), sql("b", 1434)], maxTargetsPerLoadBalancer: 3 }));
    expect(ports(router)).toEqual({ a: [10000, 0], db0: [10001, 0], b: [10002, 0] });
  });

  test("it does so where declaration order alone would split them", () => {
    // db0 fills shard 0 with a; b would take 10002 in shard 1, but joins a.
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [sql("a", 1433), sql("b", 1434), ...dnsTargets(3)], maxTargetsPerLoadBalancer: 2 }));
    expect(ports(router)).toEqual({ a: [10000, 0], b: [10001, 0], db0: [10002, 1], db1: [10003, 1], db2: [10004, 2] });
  });

  test("names compare after normalization: case and a trailing dot do not split them", () => {
    const targets = [sql("a", 1433), ...dnsTargets(1), { name: "b", host: "db9.example.com", domainName: "SQL.Corp.Internal.", port: 1434 }];
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [...targets, ...dnsTargets(3).slice(1)], maxTargetsPerLoadBalancer: 3 }));
    expect(ports(router)).toEqual({ a: [10000, 0], db0: [10001, 0], b: [10002, 0], db1: [10003, 1], db2: [10004, 1] });
    expect(router.routes.find((r) => r.name === "b")!.domainName).toBe("sql.corp.internal");
  });

  test.each([
    ["SEQUENTIAL", PortAssignment.SEQUENTIAL, {}],
    ["a pin", PortAssignment.SEQUENTIAL, { listenerPort: 12000 }],
    ["TARGET_PORT", PortAssignment.TARGET_PORT, {}],
  ])("throws, naming both targets, when the first one's shard is full (%s)", (_, portAssignment, extra) => {
    const targets = [sql("a", 1433), { name: "other", host: "o.example.com", port: 1 }, sql("b", 1434, extra)];
    expect(() => new PrivateLinkRouter(stack, "Router", routerProps({ targets, portAssignment, maxTargetsPerLoadBalancer: 2 }))).toThrow(
      'test/Router: targets "a" and "b" share the domain name "sql.corp.internal", so they must share a shard (a name resolves to one endpoint), but shard 0 already holds 2 listeners (`maxTargetsPerLoadBalancer`); declare "a" and "b" together before the targets that fill shard 0, so that both fit in one shard, raise `maxTargetsPerLoadBalancer`, or give one of them another `domainName`');
  });

  test("a pin joins its partner's shard whatever the port", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: [...dnsTargets(2), sql("a", 1433), sql("b", 1434, { listenerPort: 30001 })], maxTargetsPerLoadBalancer: 2 }));
    expect(ports(router)).toMatchObject({ a: [10002, 1], b: [30001, 1] });
  });
});

describe("TARGET_PORT", () => {
  test("the listener port is the database's port; same ports go to different shards", () => {
    const targets: RouterTarget[] = [
      { name: "pg1", host: "pg1.example.com", port: 5432 },
      { name: "pg2", host: "pg2.example.com", port: 5432 },
      { name: "mysql", host: "my.example.com", port: 3306 },
    ];
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets, portAssignment: PortAssignment.TARGET_PORT }));
    expect(ports(router)).toEqual({ pg1: [5432, 0], pg2: [5432, 1], mysql: [3306, 0] });
    expect(checkInvariants(synth(stack))).toEqual([]);
  });

  test("a pinned port wins over the database's port", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({
      targets: [{ name: "pg", host: "pg.example.com", port: 5432, listenerPort: 15432 }], portAssignment: PortAssignment.TARGET_PORT,
    }));
    expect(router.portOf("pg")).toBe(15432);
  });

  test("shards fill up to maxTargetsPerLoadBalancer", () => {
    const targets = Array.from({ length: 5 }, (_, i) => ({ name: `t${i}`, host: `t${i}.example.com`, port: 1000 + i }));
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets, portAssignment: PortAssignment.TARGET_PORT, maxTargetsPerLoadBalancer: 2 }));
    expect(router.routes.map((r) => r.shard)).toEqual([0, 0, 1, 1, 2]);
  });
});

describe("shards", () => {
  test("120 targets open 3 shards of at most 50 listeners, each its own NLB, security group and endpoint service", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(120) }));
    const json = synth(stack);
    expect(router.shards.map((s) => s.routes.length)).toEqual([50, 50, 20]);
    for (const type of ["aws_lb", "aws_security_group", "aws_vpc_endpoint_service"]) expect(Object.keys(json.resource[type])).toHaveLength(3);
    expect(Object.keys(json.resource.aws_lb_listener)).toHaveLength(1);
    expect(Object.keys(local(json, "shards"))).toEqual(["0", "1", "2"]);
    expect(checkInvariants(json)).toEqual([]);
  });

  test("construct ids are keyed by shard, not by target position", () => {
    const router = new PrivateLinkRouter(stack, "Router", routerProps({ targets: dnsTargets(3), maxTargetsPerLoadBalancer: 2 }));
    expect(router.shards.map((s) => s.node.id)).toEqual(["Shard0", "Shard1"]);
    expect(router.shards[1].loadBalancer.node.path).toBe("test/Router/Shard1/LoadBalancer");
  });
});

describe("port map file", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tmpDir();
    file = path.join(dir, "ports.json");
  });

  function build(targets: RouterTarget[], extra: object = {}): PrivateLinkRouter {
    const s = newStack().stack;
    const router = new PrivateLinkRouter(s, "Router", routerProps({ targets, portMapFile: file, maxTargetsPerLoadBalancer: 2, ...extra }));
    Testing.synth(s);
    return router;
  }

  test("is written during synthesis with every target's port and shard, sorted", () => {
    build(dnsTargets(3));
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({
      version: 1,
      targets: { db0: { listenerPort: 10000, shard: 0 }, db1: { listenerPort: 10001, shard: 0 }, db2: { listenerPort: 10002, shard: 1 } },
      retired: {},
    });
  });

  test("is only rewritten when it changes", () => {
    build(dnsTargets(3));
    fs.utimesSync(file, new Date(0), new Date(0));
    build(dnsTargets(3));
    expect(fs.statSync(file).mtimeMs).toBe(0);
  });

  test("removing a target from the middle keeps every other port and shard, and retires its port", () => {
    const before = ports(build(dnsTargets(6)));
    const targets = dnsTargets(6).filter((t) => t.name !== "db2");
    const after = ports(build(targets));
    const { db2: removed, ...kept } = before;
    expect(after).toEqual(kept);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).retired).toEqual({ db2: { listenerPort: removed[0], shard: removed[1] } });
    // A new target does not take the retired port.
    const next = ports(build([...targets, { name: "new", host: "new.example.com", port: 1 }]));
    expect(next.new[0]).not.toBe(removed[0]);
    expect(next.new).toEqual([10006, 3]);
  });

  test("reordering targets keeps every port and shard", () => {
    const before = ports(build(dnsTargets(5)));
    const after = ports(build(dnsTargets(5).reverse()));
    expect(after).toEqual(before);
  });

  test("a retired target that comes back gets its old port", () => {
    build(dnsTargets(3));
    build(dnsTargets(3).filter((t) => t.name !== "db1"));
    expect(ports(build(dnsTargets(3))).db1).toEqual([10001, 0]);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).retired).toEqual({});
  });

  test("synthesis is independent of declaration order once ports are recorded", () => {
    build(dnsTargets(5));
    const a = newStack().stack;
    new PrivateLinkRouter(a, "Router", routerProps({ targets: dnsTargets(5), portMapFile: file, maxTargetsPerLoadBalancer: 2 }));
    const b = newStack().stack;
    new PrivateLinkRouter(b, "Router", routerProps({ targets: dnsTargets(5).reverse(), portMapFile: file, maxTargetsPerLoadBalancer: 2 }));
    expect(Testing.synth(b)).toBe(Testing.synth(a));
  });

  test("TARGET_PORT targets keep their shard when an earlier one is removed", () => {
    const pg = (i: number) => ({ name: `pg${i}`, host: `pg${i}.example.com`, port: 5432 });
    const before = ports(build([pg(0), pg(1), pg(2)], { portAssignment: PortAssignment.TARGET_PORT }));
    const after = ports(build([pg(1), pg(2)], { portAssignment: PortAssignment.TARGET_PORT }));
    expect(after).toEqual({ pg1: before.pg1, pg2: before.pg2 });
    // a new PostgreSQL database does not reuse the retired shard's 5432
    const next = ports(build([pg(1), pg(2), pg(3)], { portAssignment: PortAssignment.TARGET_PORT }));
    expect(next.pg3).toEqual([5432, 3]);
  });

  test("TARGET_PORT: a new target declared before a recorded one does not take its slot", () => {
    // Found by the stable-ports property: the new target took shard 0, then the recorded one failed.
    const pg = (i: number) => ({ name: `pg${i}`, host: `pg${i}.example.com`, port: 5432 });
    build([pg(0)], { portAssignment: PortAssignment.TARGET_PORT });
    expect(ports(build([pg(1), pg(0)], { portAssignment: PortAssignment.TARGET_PORT }))).toEqual({ pg1: [5432, 1], pg0: [5432, 0] });
  });

  test("TARGET_PORT: renaming a target does not hand its slot to the new name", () => {
    const pg = (i: number) => ({ name: `pg${i}`, host: `pg${i}.example.com`, port: 5432 });
    build([pg(0)], { portAssignment: PortAssignment.TARGET_PORT, maxTargetsPerLoadBalancer: 1 });
    expect(ports(build([pg(1)], { portAssignment: PortAssignment.TARGET_PORT, maxTargetsPerLoadBalancer: 1 }))).toEqual({ pg1: [5432, 1] });
  });

  test("a new target leaves room in a shard for the recorded targets declared after it", () => {
    // Found by the stable-ports property: the new target filled shard 1, then recorded t1 had no room.
    build([{ name: "t0", host: "t0.example.com", port: 5432 }, { name: "t1", host: "t1.example.com", port: 3306 }], { portAssignment: PortAssignment.TARGET_PORT, maxTargetsPerLoadBalancer: 1 });
    const after = ports(build([{ name: "t2", host: "t2.example.com", port: 5432 }, { name: "t1", host: "t1.example.com", port: 3306 }], { portAssignment: PortAssignment.TARGET_PORT, maxTargetsPerLoadBalancer: 1 }));
    expect(after).toEqual({ t2: [5432, 2], t1: [3306, 1] });
  });

  test("is resolved against the working directory", () => {
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const s = newStack().stack;
      new PrivateLinkRouter(s, "Router", routerProps({ targets: dnsTargets(1), portMapFile: "sub/map.json" }));
      Testing.synth(s);
    } finally {
      process.chdir(cwd);
    }
    expect(fs.existsSync(path.join(dir, "sub", "map.json"))).toBe(true);
  });

  test.each([
    ["not json", "{", /is not valid JSON/],
    ["wrong shape", JSON.stringify({ version: 2, targets: {} }), /is not a version 1 port map/],
    ["bad port", JSON.stringify({ version: 1, targets: { a: { listenerPort: 0, shard: 0 } }, retired: {} }), /is not a version 1 port map/],
  ])("throws when the file is %s", (_, content, message) => {
    fs.writeFileSync(file, content);
    expect(() => build(dnsTargets(1))).toThrow(message);
  });

  test("throws when a pinned target takes a port the file records for another target", () => {
    build(dnsTargets(2));
    const targets: RouterTarget[] = [{ name: "pin", host: "pin.example.com", port: 1, listenerPort: 10000 }, ...dnsTargets(2)];
    expect(() => build(targets)).toThrow(/target "db0" is recorded in `portMapFile` on listener port 10000 \(shard 0\), but target "pin" \(pinned\) already uses that port/);
  });

  test("throws once, listing every target that must move, when maxTargetsPerLoadBalancer is lowered below what the file records", () => {
    build(dnsTargets(20), { maxTargetsPerLoadBalancer: 50 });
    expect(() => build(dnsTargets(20), { maxTargetsPerLoadBalancer: 10 })).toThrow(
      "`portMapFile` records more targets in a shard than `maxTargetsPerLoadBalancer` 10 allows (shard 0: 20); 10 target(s) must move: "
      + Array.from({ length: 10 }, (_, i) => `"db${i + 10}" (${10010 + i})`).join(", "));
  });

  test("re-sharding, port-preserving: moved targets pinned to their recorded ports keep them in the next shard", () => {
    build(dnsTargets(20), { maxTargetsPerLoadBalancer: 50 });
    // Delete the ten movers from the file's targets, and pin each to its recorded port.
    const map = JSON.parse(fs.readFileSync(file, "utf8"));
    for (let i = 10; i < 20; i++) delete map.targets[`db${i}`];
    fs.writeFileSync(file, JSON.stringify(map));
    const targets = dnsTargets(20).map((t, i) => (i >= 10 ? { ...t, listenerPort: 10000 + i } : t));
    const router = build(targets, { maxTargetsPerLoadBalancer: 10 });
    expect(router.routes.map((r) => [r.listenerPort, r.shard])).toEqual(Array.from({ length: 20 }, (_, i) => [10000 + i, i < 10 ? 0 : 1]));
  });

  test("read-only mode: synthesis compares the file and never writes it", () => {
    build(dnsTargets(2));
    const before = fs.readFileSync(file, "utf8");
    // GIVEN a third target: the file would change
    const app = Testing.app({ context: { "cdktf-privatelink-router:portMapFile": "read-only" } });
    const s = newStack({ app }).stack;
    new PrivateLinkRouter(s, "Router", routerProps({ targets: dnsTargets(3), portMapFile: file }));
    expect(() => Testing.synth(s)).toThrow(/`portMapFile` .* would change \(targets placed anew: db2\), and synthesis is read-only/);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  test("read-only mode passes when the file is current, and refuses a missing file", () => {
    build(dnsTargets(2));
    const readOnly = (f: string) => {
      const s = newStack({ app: Testing.app({ context: { "cdktf-privatelink-router:portMapFile": "read-only" } }) }).stack;
      new PrivateLinkRouter(s, "Router", routerProps({ targets: dnsTargets(2), portMapFile: f }));
      return () => Testing.synth(s);
    };
    expect(readOnly(file)).not.toThrow();
    const missing = path.join(path.dirname(file), "missing.json");
    expect(readOnly(missing)).toThrow(/missing\.json does not exist, and synthesis is read-only/);
    expect(fs.existsSync(missing)).toBe(false);
  });

  test("read-only mode also comes from the environment (PRIVATELINK_ROUTER_PORT_MAP=read-only)", () => {
    build(dnsTargets(2));
    process.env.PRIVATELINK_ROUTER_PORT_MAP = "read-only";
    try {
      const s = newStack().stack;
      new PrivateLinkRouter(s, "Router", routerProps({ targets: dnsTargets(3), portMapFile: file }));
      expect(() => Testing.synth(s)).toThrow(/synthesis is read-only/);
    } finally {
      delete process.env.PRIVATELINK_ROUTER_PORT_MAP;
    }
  });
});
