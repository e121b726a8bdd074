import { createHandler, SyncDeps, SyncResult } from "../../src/ip-sync/handler";
import { FakeElb } from "./fake-elb";

export const arn = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;

/** A target entry of IP_SYNC_TARGETS: `name` on host `<name>.db.internal`, port 5432. */
export const entry = (name: string, extra: Record<string, unknown> = {}) =>
  ({ name, host: `${name}.db.internal`, port: 5432, targetGroupArn: arn(name), ...extra });

export const env = (targets: unknown[], misses?: number) => ({
  IP_SYNC_TARGETS: JSON.stringify(targets),
  ...(misses === undefined ? {} : { IP_SYNC_MISSES: String(misses) }),
});

export const dnsError = (code: string) => Object.assign(new Error(`queryA ${code}`), { code });

/** A fake resolver answering from `answers` (an Error is thrown). */
export function fakeResolve4(answers: Record<string, string[] | Error>): SyncDeps["resolve4"] {
  return async (host) => {
    const a = answers[host];
    if (a === undefined) throw dnsError("ENOTFOUND");
    if (a instanceof Error) throw a;
    return [...a];
  };
}

export interface Run { result: SyncResult; logs: any[] }

/** One invocation of a fresh handler (no state carried over but the fake's) with these answers. */
export async function run(environment: Record<string, string>, elb: FakeElb, answers: Record<string, string[] | Error>): Promise<Run> {
  const logs: any[] = [];
  const handler =
    createHandler(environment, () =>
      ({ elb: elb as any, resolve4: fakeResolve4(answers), log: (e) => logs.push(JSON.parse(JSON.stringify(e))) }));
  return { result: await handler(), logs };
}

/** The log lines' events, the summary last. */
export const events = (logs: any[]) => logs.map((l) => l.event);
