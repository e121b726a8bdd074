// A local HTTP fake of the ELBv2 Query API on 127.0.0.1, over the in-memory FakeElb: parses the
// SDK's form-encoded requests (Action=RegisterTargets&Targets.member.1.Id=...) and answers XML.
import * as http from "http";
import { listenOnLoopback } from "../loopback";
import { FakeElb } from "./fake-elb";

export interface ElbServer {
  readonly url: string;
  readonly requests: Array<{ action: string; authorization?: string }>;
  close(): Promise<void>;
}

const NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

/** `Targets.member.1.Port=5432` -> `{ Targets: [{ Port: 5432 }] }`. */
function set(node: any, path: string[], value: string): void {
  const [key, ...rest] = path;
  if (rest[0] === "member") {
    const list = (node[key] ??= []);
    const i = Number(rest[1]) - 1;
    if (rest.length === 2) list[i] = value;
    else set((list[i] ??= {}), rest.slice(2), value);
  } else if (rest.length === 0) node[key] = key === "Port" ? Number(value) : value;
  else set((node[key] ??= {}), rest, value);
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Query-protocol XML: lists as <member> elements, undefined fields left out. */
function xml(value: any): string {
  if (Array.isArray(value)) return value.map((m) => `<member>${xml(m)}</member>`).join("");
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${xml(v)}</${k}>`).join("");
  }
  return escape(String(value));
}

export async function startElbServer(elb: FakeElb): Promise<ElbServer> {
  const requests: ElbServer["requests"] = [];
  let id = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const params = new URLSearchParams(body);
      const action = params.get("Action") ?? "";
      requests.push({ action, authorization: req.headers.authorization });
      const input: any = {};
      for (const [key, value] of params) if (key !== "Action" && key !== "Version") set(input, key.split("."), value);
      const requestId = `req-${++id}`;
      res.setHeader("content-type", "text/xml");
      try {
        const result = elb.call(action, input);
        res.end(`<${action}Response xmlns="${NS}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
      } catch (e: any) {
        res.statusCode = 400;
        res.end(`<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${e.name}</Code><Message>${escape(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
      }
    });
  });
  return { ...(await listenOnLoopback(server)), requests };
}
