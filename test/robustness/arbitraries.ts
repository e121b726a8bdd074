import * as fc from "fast-check";
import { HealthCheckOptions, PortAssignment, PrivateLinkRouterProps, RouterTarget } from "../../src";
import { SUBNETS, VPC } from "../helpers";

/** How many cases each property runs: 300 in `npm test`, FUZZ_RUNS in `npm run fuzz`. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** A fixed seed in `npm test` (reproducible); `npm run fuzz` may set FUZZ_SEED. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
export const fcOptions = { numRuns: RUNS, seed: SEED };

const octet = fc.integer({ min: 0, max: 255 });
/** Mostly `valid`, rarely `invalid` (so that most cases synthesize, and some exercise errors). */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>, weight = 200): fc.Arbitrary<T> {
  return fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}
/** Mostly private addresses, sometimes public or malformed ones. */
export const ipArb: fc.Arbitrary<string> = mostly(fc.oneof(
  { weight: 12, arbitrary: fc.tuple(octet, octet, octet).map(([a, b, c]) => `10.${a}.${b}.${c}`) },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([a, b, c]) => `172.${a}.${b}.${c}`) },
  { weight: 3, arbitrary: fc.tuple(octet, octet).map(([b, c]) => `192.168.${b}.${c}`) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([a, b, c]) => `100.${a}.${b}.${c}`) },
), fc.oneof(fc.tuple(octet, octet, octet, octet).map((o) => o.join(".")), fc.constantFrom("10.0.0", "10.0.0.256", "not-an-ip", "")));

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
/** Mostly valid DNS names (a few shared first labels, to exercise derived-name clashes). */
export const hostArb: fc.Arbitrary<string> = mostly(
  fc.tuple(label, fc.constantFrom("abc", "xyz"), fc.constantFrom("us-east-1.rds.amazonaws.com", "corp.internal")).map((p) => p.join(".")),
  fc.constantFrom("-bad.example.com", "under_score.example.com", "10.1.2.3", "a..b"),
);

const hcArb: fc.Arbitrary<HealthCheckOptions> = fc.record({
  protocol: mostly(fc.constantFrom("TCP", "HTTP", "HTTPS"), fc.constant("UDP"), 50),
  port: mostly(fc.constantFrom("traffic-port", "8080", "1", "65535"), fc.constantFrom("0", "x"), 50),
  healthyThreshold: mostly(fc.integer({ min: 2, max: 10 }), fc.constantFrom(1, 11), 50),
  unhealthyThreshold: mostly(fc.integer({ min: 2, max: 10 }), fc.constantFrom(1, 11), 50),
  timeoutSeconds: mostly(fc.integer({ min: 2, max: 120 }), fc.constantFrom(1, 121), 50),
  intervalSeconds: mostly(fc.integer({ min: 121, max: 300 }), fc.constantFrom(4, 5, 10, 301), 100),
}, { requiredKeys: [] }).chain((h) => (h.protocol === "HTTP" || h.protocol === "HTTPS"
  ? fc.option(mostly(fc.constantFrom("/health", "/"), fc.constant("bad"), 50), { nil: undefined }).map((path) => ({ ...h, path }))
  : fc.constant(h)));

/** A target's override: consistent on its own and with any router default (rarely anything). */
const targetHcArb: fc.Arbitrary<HealthCheckOptions> = mostly<HealthCheckOptions>(fc.record({
  protocol: fc.constantFrom("TCP", "HTTP"),
  port: fc.constantFrom("traffic-port", "8080"),
  healthyThreshold: fc.integer({ min: 2, max: 10 }),
  timeoutSeconds: fc.integer({ min: 2, max: 120 }),
  intervalSeconds: fc.integer({ min: 121, max: 300 }),
}, { requiredKeys: ["timeoutSeconds", "intervalSeconds"] }), hcArb, 100);

export const targetArb: fc.Arbitrary<RouterTarget> = fc.record({
  name: fc.option(mostly(fc.stringMatching(/^[a-z][a-z0-9._-]{0,30}$/), fc.constantFrom("", "bad/name", "_x")), { nil: undefined, freq: 3 }),
  host: fc.option(hostArb, { nil: undefined, freq: 4 }),
  ips: fc.option(mostly<string[]>(fc.array(ipArb, { minLength: 1, maxLength: 3 }), fc.constant([] as string[])),
    { nil: undefined, freq: 2 }),
  port: mostly(fc.oneof(fc.constantFrom(5432, 3306, 1433, 5439, 1521, 6379), fc.integer({ min: 1, max: 65535 })),
    fc.constantFrom(0, 65536)),
  listenerPort:
    fc.option(mostly(fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 10000, max: 10400 })), fc.constantFrom(0, 65536)),
      { nil: undefined, freq: 8 }),
  protocol: fc.option(mostly(fc.constantFrom("TCP", "TCP", "TCP", "UDP", "TCP_UDP"), fc.constant("TLS")), { nil: undefined }),
  availabilityZone: fc.option(mostly(fc.constantFrom("all", "auto", "us-east-1a"), fc.constant("nowhere")), { nil: undefined, freq: 3 }),
  healthCheck: fc.option(targetHcArb, { nil: undefined, freq: 8 }),
  shape: fc.integer({ min: 0, max: 299 }),
}, { requiredKeys: ["port", "shape"] }).map(({ shape, ...t }) => {
  // Mostly exactly one of host and ips; rarely both (shape 0) or neither (shape 1).
  if (t.host !== undefined && t.ips !== undefined && shape !== 0) return { ...t, ips: undefined };
  if (t.host === undefined && t.ips === undefined && shape !== 1) return { ...t, host: `db${t.port}-${shape}.corp.internal` };
  return t;
});

const cidrArb = mostly(
  fc.constantFrom("10.0.0.0/8", "10.20.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"),
  fc.constantFrom("0.0.0.0/0", "8.8.8.0/24", "10.0.0.1/8", "10.0.0.0"), 30,
);

/** Random router props with 1-300 targets (mostly few, sometimes many). */
export const routerPropsArb: fc.Arbitrary<PrivateLinkRouterProps> = fc.record({
  targets: fc.oneof({ weight: 4, arbitrary: fc.array(targetArb, { minLength: 1, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.array(targetArb, { minLength: 1, maxLength: 300 }) }),
  basePort: fc.option(mostly(fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(10000, 20000, 65500)), fc.constant(0), 30),
    { nil: undefined }),
  portAssignment: fc.option(fc.constantFrom(PortAssignment.SEQUENTIAL, PortAssignment.TARGET_PORT), { nil: undefined }),
  maxTargetsPerLoadBalancer: fc.option(mostly(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, 51), 30), { nil: undefined }),
  healthCheck: fc.option(hcArb, { nil: undefined, freq: 4 }),
  ingressCidrs: fc.option(fc.array(cidrArb, { maxLength: 3 }), { nil: undefined, freq: 4 }),
  egressCidrs: fc.option(mostly<string[]>(fc.oneof(
    { weight: 5, arbitrary: fc.constant<string[]>(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]) },
    { weight: 1, arbitrary: fc.array<string>(cidrArb, { minLength: 1, maxLength: 3 }) },
  ), fc.constant([] as string[]), 30), { nil: undefined, freq: 3 }),
  allowedPrincipals: fc.option(fc.array(mostly(fc.constantFrom("arn:aws:iam::123456789012:root", "arn:aws:iam::210987654321:role/reader"), fc.constant("*"), 30), { maxLength: 2 }), { nil: undefined }),
  acceptanceRequired: fc.option(fc.boolean(), { nil: undefined, freq: 4 }),
  tcpIdleTimeoutSeconds: fc.option(mostly(fc.integer({ min: 60, max: 6000 }), fc.constantFrom(59, 6001), 30), { nil: undefined, freq: 4 }),
}, { requiredKeys: ["targets"] }).map((p): PrivateLinkRouterProps => ({ vpcId: VPC, subnetIds: SUBNETS, ...(p as Partial<PrivateLinkRouterProps>) }));
