// The real resolver (dns.promises.Resolver with setServers) against a local UDP DNS server.
import { dnsResolve4 } from "../../src/ip-sync/handler";
import { DnsServer, startDnsServer } from "./dns-server";

let dns: DnsServer;
beforeAll(async () => {
  dns = await startDnsServer({ "db.internal": ["10.1.0.10", "10.1.0.11"], "slow.internal": "drop" });
});
afterAll(() => dns.close());

const resolve4 = () => dnsResolve4([`127.0.0.1:${dns.port}`]);

test("answers every A record of the name", async () => {
  expect((await resolve4()("DB.internal")).sort()).toEqual(["10.1.0.10", "10.1.0.11"]);
});

test("NXDOMAIN rejects with ENOTFOUND", async () => {
  await expect(resolve4()("nowhere.internal")).rejects.toMatchObject({ code: "ENOTFOUND" });
});

test("a server that never answers is given up on at the deadline", async () => {
  const start = Date.now();
  await expect(dnsResolve4([`127.0.0.1:${dns.port}`], 300)("slow.internal")).rejects.toMatchObject({ code: "ETIMEOUT" });
  expect(Date.now() - start).toBeLessThan(1400);
  expect(dns.queries).toContain("slow.internal");
});

test("the 5 second cap holds by default", async () => {
  const start = Date.now();
  await expect(resolve4()("slow.internal")).rejects.toMatchObject({ code: "ETIMEOUT" });
  expect(Date.now() - start).toBeLessThan(6000);
}, 10_000);
