// A tiny authoritative-looking DNS server on 127.0.0.1 (UDP) for tests: answers A queries
// from a map, NXDOMAIN for names it does not know, and never answers names mapped to "drop".
import * as dgram from "dgram";

export type DnsAnswer = string[] | "drop";

export interface DnsServer {
  readonly port: number;
  /** Lower-case name -> answer; edit it between queries. */
  readonly answers: Map<string, DnsAnswer>;
  readonly queries: string[];
  close(): Promise<void>;
}

const NXDOMAIN = 3;

/** The query's id, flags, lower-case name, type and raw question section. */
function parseQuery(msg: Buffer) {
  const labels: string[] = [];
  let off = 12;
  while (msg[off] !== 0) {
    labels.push(msg.subarray(off + 1, off + 1 + msg[off]).toString("latin1"));
    off += 1 + msg[off];
  }
  const type = msg.readUInt16BE(off + 1);
  return { id: msg.readUInt16BE(0), rd: msg.readUInt16BE(2) & 0x0100, name: labels.join(".").toLowerCase(), type, question: msg.subarray(12, off + 5) };
}

/** One A record, its name a pointer to the question's name (offset 12). */
function aRecord(ip: string): Buffer {
  const rr = Buffer.alloc(16);
  rr.writeUInt16BE(0xc00c, 0); // name: pointer to offset 12
  rr.writeUInt16BE(1, 2); // type A
  rr.writeUInt16BE(1, 4); // class IN
  rr.writeUInt32BE(5, 6); // TTL
  rr.writeUInt16BE(4, 10); // RDLENGTH
  ip.split(".").forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
  return rr;
}

function reply(query: ReturnType<typeof parseQuery>, rcode: number, ips: string[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.id, 0);
  header.writeUInt16BE(0x8000 | 0x0400 | query.rd | 0x0080 | rcode, 2); // QR, AA, RD (echoed), RA, RCODE
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(ips.length, 6); // ANCOUNT
  return Buffer.concat([header, query.question, ...ips.map(aRecord)]);
}

export async function startDnsServer(answers: Record<string, DnsAnswer> = {}): Promise<DnsServer> {
  const socket = dgram.createSocket("udp4");
  const map = new Map(Object.entries(answers).map(([k, v]) => [k.toLowerCase(), v]));
  const queries: string[] = [];
  socket.on("message", (msg, from) => {
    const query = parseQuery(msg);
    queries.push(query.name);
    const answer = map.get(query.name);
    if (answer === "drop") return;
    const ips = answer && query.type === 1 ? answer : [];
    socket.send(reply(query, answer ? 0 : NXDOMAIN, ips), from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => resolve());
  });
  return {
    port: socket.address().port,
    answers: map,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
