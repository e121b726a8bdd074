// Loopback fakes for `status`: the EC2 Query API's DescribeVpcEndpointConnections (XML as EC2
// sends it) and the Databricks account API (OAuth M2M token, an NCC's private endpoint rules).
import * as http from "http";
import { listenOnLoopback } from "../loopback";

export interface FakeServer {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

async function serve(handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void, requests: string[]):
  Promise<FakeServer> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push(`${req.method} ${req.url} ${body}`);
      handler(req, body, res);
    });
  });
  return { ...(await listenOnLoopback(server)), requests };
}

export interface FakeConnection { serviceId: string; vpcEndpointId: string; state: string; owner?: string }

/** EC2: connections by service id; `failWith` answers every call with that error code. */
export async function startEc2Server(connections: FakeConnection[], options: { failWith?: string } = {}): Promise<FakeServer> {
  return serve((_req, body, res) => {
    const params = new URLSearchParams(body);
    res.setHeader("content-type", "text/xml");
    if (options.failWith || params.get("Action") !== "DescribeVpcEndpointConnections") {
      res.statusCode = 400;
      const code = options.failWith ?? "InvalidAction";
      res.end(`<?xml version="1.0" ` +
        `encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code><Message>fake ${code}</Message></Error></Errors><RequestID>r-1</` +
        `RequestID></Response>`);
      return;
    }
    const wanted = params.get("Filter.1.Name") === "service-id" ? params.get("Filter.1.Value.1") : undefined;
    const items = connections.filter((c) => wanted === undefined || c.serviceId === wanted).map((c) =>
      `<item><serviceId>${c.serviceId}</serviceId><vpcEndpointId>${c.vpcEndpointId}</vpcEndpointId><vpcEndpointOwner>${c.owner ?? "41435" +
      "1767826"}</vpcEndpointOwner>`
      + `<vpcEndpointState>${c.state}</vpcEndpointState><creationTimestamp>2026-12-01T10:00:00.000Z</creationTimestamp></item>`).join("");
    res.end(`<?xml version="1.0" encoding="UTF-8"?><DescribeVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">`
      + `<requestId>r-1</requestId><vpcEndpointConnectionSet>${items}</vpcEndpointConnectionSet></DescribeVpcEndpointConnectionsResponse>`);
  }, []);
}

export interface FakeAccount {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** NCC id -> its rules as the API returns them (snake_case). */
  readonly nccs: Map<string, any[]>;
}

/** Databricks: the token endpoint (client_credentials, basic auth) and the rules list, one rule per page. */
export async function startDatabricksServer(account: FakeAccount): Promise<FakeServer> {
  const token = "fake-access-token-1";
  return serve((req, body, res) => {
    res.setHeader("content-type", "application/json");
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, value: any) => {
      res.statusCode = status;
      res.end(JSON.stringify(value));
    };
    if (req.method === "POST" && url.pathname === `/oidc/accounts/${account.accountId}/v1/token`) {
      const basic = Buffer.from(`${account.clientId}:${account.clientSecret}`).toString("base64");
      if (req.headers.authorization !== `Basic ${basic}` || !body.includes("grant_type=client_credentials")) return send(401,
        { error: "invalid_client", error_description: "Client authentication failed" });
      return send(200, { access_token: token, token_type: "Bearer", expires_in: 3600, scope: "all-apis" });
    }
    const m = /^\/api\/2\.0\/accounts\/([^/]+)\/network-connectivity-configs\/([^/]+)\/private-endpoint-rules$/.exec(url.pathname);
    if (req.method !== "GET" || !m) return send(404, { error_code: "ENDPOINT_NOT_FOUND", message: `no ${req.method} ${url.pathname}` });
    if (req.headers.authorization !== `Bearer ${token}`) return send(401,
      { error_code: "UNAUTHENTICATED", message: "Invalid access token." });
    if (m[1] !== account.accountId) return send(403, { error_code: "PERMISSION_DENIED", message: "not an admin of this account" });
    const rules = account.nccs.get(m[2]);
    if (!rules) return send(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `NCC ${m[2]} does not exist` });
    const page = Number(url.searchParams.get("page_token") ?? 0);
    const next = page + 1 < rules.length ? { next_page_token: String(page + 1) } : {};
    return send(200, { items: rules.slice(page, page + 1), ...next });
  }, []);
}
