// The Databricks account API as `status` uses it: plain HTTPS (Node's fetch) to two documented
// endpoints, the OAuth machine-to-machine token (POST /oidc/accounts/<id>/v1/token) and the
// list of an NCC's private endpoint rules (GET /api/2.0/accounts/<id>/network-connectivity-configs/
// <ncc>/private-endpoint-rules). Two read-only calls need no SDK (and the JavaScript SDK would be a
// heavy dependency for them). Credentials from Databricks' environment variables; never printed.
import { createHash } from "crypto";
import { UsageError } from "./errors";
import { NccRule, ProbeError } from "./live";

export const DEFAULT_ACCOUNTS_HOST = "https://accounts.cloud.databricks.com";

/** Where and how to call the account API. */
export interface DatabricksAuth {
  readonly host: string;
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
}

/**
 * The credentials of `env` (DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET);
 * the host from DATABRICKS_HOST, the stack's provider, or the accounts console.
 */
export function databricksAuth(env: NodeJS.ProcessEnv, providerHost?: string): DatabricksAuth {
  const host = (env.DATABRICKS_HOST || providerHost || DEFAULT_ACCOUNTS_HOST).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(host)) {
    throw new UsageError(`DATABRICKS_HOST ${JSON.stringify(host)} is not a URL: set it to the accounts console, ${DEFAULT_ACCOUNTS_HOST}`);
  }
  const { DATABRICKS_CLIENT_ID: clientId, DATABRICKS_CLIENT_SECRET: clientSecret } = env;
  if (clientId && clientSecret) return { host, clientId, clientSecret };
  if (env.DATABRICKS_TOKEN) return { host, token: env.DATABRICKS_TOKEN };
  const half = clientId ? "DATABRICKS_CLIENT_SECRET is unset" : clientSecret ? "DATABRICKS_CLIENT_ID is unset" : "none is set";
  throw new UsageError(`status reads the NCC rules from the Databricks account API and needs credentials (${half}): `
    + "set DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (a service principal with account admin), or DATABRICKS_TOKEN");
}

/** OAuth tokens of this process, by host, account, client and a hash of its secret. */
const tokens = new Map<string, Promise<string>>();

async function call(url: string, init: RequestInit, what: string): Promise<any> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(15000) });
  } catch (e) {
    const cause = (e as any).cause;
    throw new ProbeError("NetworkError", `${what} failed: ${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ""}`);
  }
  const text = await res.text();
  let body: any = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { message: text.slice(0, 200) };
  }
  const found = body.message ?? body.error_description ?? body.error ?? "";
  const detail = found ? `: ${found}` : "";
  if (res.status === 401 || res.status === 403) {
    throw new UsageError(`Databricks refused ${what} (HTTP ${res.status}${detail}): the credentials need account admin `
      + "on this account (check DATABRICKS_CLIENT_ID/_SECRET or DATABRICKS_TOKEN, DATABRICKS_HOST and the account id)");
  }
  if (!res.ok) {
    throw new ProbeError(res.status === 404 ? "NotFound" : `HTTP${res.status}`, `${what} failed (HTTP ${res.status}${detail})`);
  }
  return body;
}

async function bearer(auth: DatabricksAuth, accountId: string): Promise<string> {
  if (auth.token) return auth.token;
  const secretHash = createHash("sha256").update(auth.clientSecret ?? "").digest("hex");
  const key = `${auth.host}/${accountId}/${auth.clientId}/${secretHash}`;
  if (!tokens.has(key)) {
    const basic = Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString("base64");
    const p = call(`${auth.host}/oidc/accounts/${encodeURIComponent(accountId)}/v1/token`, {
      method: "POST",
      headers: { "authorization": `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=all-apis",
    }, "the OAuth token request").then((b) => {
      if (typeof b.access_token !== "string") {
        throw new UsageError("the Databricks OAuth token response has no access_token: "
          + "check DATABRICKS_HOST (the accounts console) and the account id");
      }
      return b.access_token as string;
    });
    p.catch(() => tokens.delete(key));
    tokens.set(key, p);
  }
  return tokens.get(key)!;
}

/** Every private endpoint rule of the NCC `nccId` in `accountId`, following next_page_token. */
export async function nccRulesOf(auth: DatabricksAuth, accountId: string, nccId: string): Promise<NccRule[]> {
  const token = await bearer(auth, accountId);
  const rules: NccRule[] = [];
  let page: string | undefined;
  do {
    const url = `${auth.host}/api/2.0/accounts/${encodeURIComponent(accountId)}`
      + `/network-connectivity-configs/${encodeURIComponent(nccId)}/private-endpoint-rules`
      + (page ? `?page_token=${encodeURIComponent(page)}` : "");
    const body = await call(url, { headers: { authorization: `Bearer ${token}` } }, `listing the private endpoint rules of NCC ${nccId}`);
    for (const r of body.items ?? []) {
      rules.push({
        ruleId: r.rule_id,
        ...(r.connection_state ? { connectionState: r.connection_state } : {}),
        ...(r.vpc_endpoint_id ? { vpcEndpointId: r.vpc_endpoint_id } : {}),
        ...(r.error_message ? { errorMessage: r.error_message } : {}),
        ...(r.deactivated ? { deactivated: true } : {}),
      });
    }
    page = body.next_page_token || undefined;
  } while (page);
  return rules;
}
