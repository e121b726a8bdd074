// The IP sync's event path, pure: which RDS events it accepts (an EventBridge event from
// `aws.rds`), which `host` targets an event concerns, and the poll that waits for DNS to follow a
// failover. Imports nothing: the deployed zip holds lib/ip-sync alone.

/** Milliseconds between DNS lookups while waiting for an answer to change after an event. */
export const EVENT_POLL_INTERVAL_MS = 2_000;
/** How long an event run waits for the answer to change before it syncs what it has. */
export const EVENT_POLL_LIMIT_MS = 60_000;

/** The EventBridge detail types of the RDS events the router subscribes to. */
export const RDS_DETAIL_TYPES = ["RDS DB Instance Event", "RDS DB Cluster Event"] as const;

/**
 * The RDS event IDs that can move an endpoint's address (docs: "Amazon RDS event categories and
 * event messages"). Cluster: every failover event (failed, restarted, finished, begun in the same
 * or across zones) and a global failover finished on the primary. Instance: Multi-AZ failover
 * started and complete, Multi-AZ activation started and complete, recovered from a partial
 * failover, restarted, started after a stop, offline maintenance complete, instance class changed.
 */
export const RDS_EVENT_IDS = {
  cluster: ["RDS-EVENT-0069", "RDS-EVENT-0070", "RDS-EVENT-0071", "RDS-EVENT-0072", "RDS-EVENT-0073", "RDS-EVENT-0185"],
  instance: [
    "RDS-EVENT-0013", "RDS-EVENT-0015", "RDS-EVENT-0049", "RDS-EVENT-0050", "RDS-EVENT-0051", "RDS-EVENT-0065",
    "RDS-EVENT-0006", "RDS-EVENT-0088", "RDS-EVENT-0027", "RDS-EVENT-0014",
  ],
} as const;

/** The EventBridge pattern of those events: the rule in the router's account and the forwarding rules. */
export function rdsEventPattern(): Record<string, unknown> {
  return {
    "source": ["aws.rds"],
    "detail-type": [...RDS_DETAIL_TYPES],
    "detail": { EventID: [...RDS_EVENT_IDS.cluster, ...RDS_EVENT_IDS.instance] },
  };
}

/** What the handler reads of an RDS event. */
export interface RdsEvent {
  /** The DB instance or cluster identifier, lower-case, without the `rds:` prefix. */
  readonly source: string;
  readonly eventId?: string;
  readonly account?: string;
}

/**
 * The RDS event in an invocation's input, or undefined for anything else (a scheduled run, the
 * first run during apply, a manual invocation): those sync every target as before.
 */
export function parseRdsEvent(input: unknown): RdsEvent | undefined {
  const e = input as any;
  if (typeof e !== "object" || e === null || e.source !== "aws.rds" || !RDS_DETAIL_TYPES.includes(e["detail-type"])) return undefined;
  const detail = typeof e.detail === "object" && e.detail !== null ? e.detail : {};
  const fromId = typeof detail.SourceIdentifier === "string" ? detail.SourceIdentifier.replace(/^rds:/, "") : "";
  const arn = typeof detail.SourceArn === "string" ? detail.SourceArn : Array.isArray(e.resources) ? String(e.resources[0] ?? "") : "";
  const fromArn = /:(?:db|cluster):([^:]+)$/.exec(arn)?.[1] ?? "";
  const source = (fromId || fromArn).toLowerCase();
  return {
    source,
    eventId: typeof detail.EventID === "string" ? detail.EventID : undefined,
    account: typeof e.account === "string" ? e.account : undefined,
  };
}

/** The identifier an RDS endpoint name starts with: `orders` of `orders.cluster-c1.us-east-1.rds.amazonaws.com`. */
export function endpointIdentifier(host: string): string {
  return host.toLowerCase().replace(/\.$/, "").split(".")[0];
}

/**
 * The targets an event concerns: those whose host is an endpoint of the event's instance or
 * cluster (writer and reader endpoints alike), or every target when none is (a custom name, a
 * CNAME in a private zone, an instance event for a cluster endpoint).
 */
export function concernedTargets<T extends { host: string }>(targets: T[], event: RdsEvent): { targets: T[]; matched: boolean } {
  const matching = event.source === "" ? [] : targets.filter((t) => endpointIdentifier(t.host) === event.source);
  return matching.length > 0 ? { targets: matching, matched: true } : { targets, matched: false };
}

/** The clock an event run waits with (jest's fake timers replace both). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}
export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * Calls `changed` at once and then every EVENT_POLL_INTERVAL_MS until it returns true or
 * EVENT_POLL_LIMIT_MS have passed; returns whether it changed and how long it waited.
 */
export async function pollUntil(changed: () => Promise<boolean>, clock: Clock = realClock):
  Promise<{ changed: boolean; waitedMs: number }> {
  const start = clock.now();
  for (;;) {
    if (await changed()) return { changed: true, waitedMs: clock.now() - start };
    if (clock.now() - start + EVENT_POLL_INTERVAL_MS > EVENT_POLL_LIMIT_MS) return { changed: false, waitedMs: clock.now() - start };
    await clock.sleep(EVENT_POLL_INTERVAL_MS);
  }
}
