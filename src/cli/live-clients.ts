// The real answers behind `status` (live.ts): DNS from this machine (or --dns-server), ELBv2 and
// EC2 through the AWS SDK v3 (default credential chain; the region of each resource's ARN or
// service name; AWS_ENDPOINT_URL_* honoured by the SDK), the Databricks account API over HTTPS
// (databricks-api.ts). Read-only: only Describe* and GET calls. The SDK clients are not
// dependencies of the construct package; they are loaded on first use, with the install to run when missing.
import { Resolver } from "node:dns/promises";
import { nccRulesOf } from "./databricks-api";
import { UsageError } from "./errors";
import { EndpointConnection, Live, ProbeError, TargetHealth } from "./live";

export const SDK_INSTALL = "npm install --save-dev @aws-sdk/client-elastic-load-balancing-v2 @aws-sdk/client-ec2";

/** `require` of an SDK client package, or a usage error that says what to install. */
function sdk(name: string): any {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
    throw new UsageError(
      `status needs the AWS SDK client ${name}, which the construct package does not install: run \`${SDK_INSTALL}\` in the app`);
  }
}

const CREDENTIAL_ERRORS = new Set([
  "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException", "InvalidClientTokenId",
  "AuthFailure", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch", "InvalidAccessKeyId",
]);

/** A credentials or permission failure is the caller's to fix (exit 2); anything else concerns one route. */
function awsFailure(e: any, what: string, permission: string): Error {
  const name: string = e?.name ?? e?.Code ?? "Error";
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(String(e?.message))) {
    return new UsageError(`no AWS credentials for ${what}: the SDK's default chain found none; set AWS_PROFILE, or AWS_ACCESS_KEY_ID ` +
      `and AWS_SECRET_ACCESS_KEY, for the router's account`);
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new UsageError(`AWS refused ${what} (${name}): the credentials need ${permission} in the router's account`);
  }
  return new ProbeError(name, `${what} failed (${name}: ${e?.message ?? String(e)})`);
}

/** The region of an ARN (`arn:aws:elasticloadbalancing:us-east-1:...`). */
export const regionOfArn = (arn: string): string | undefined => arn.split(":")[3] || undefined;

export interface LiveOptions {
  /** `ip` or `ip:port` of the resolver to ask (the VPC's Route 53 Resolver inbound endpoint); else the system's. */
  readonly dnsServer?: string;
}

/** The live answers, with one SDK client per service and region. */
export function liveClients(options: LiveOptions): Live {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (options.dnsServer !== undefined) resolver.setServers([options.dnsServer]);
  const clients = new Map<string, any>();
  const client = (pkg: string, cls: string, region: string) => {
    const key = `${cls}/${region}`;
    if (!clients.has(key)) clients.set(key, new (sdk(pkg)[cls])({ region, maxAttempts: 3 }));
    return clients.get(key);
  };
  return {
    async resolve(host) {
      try {
        return await resolver.resolve4(host.replace(/\.$/, "").toLowerCase());
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "ERROR";
        throw new ProbeError(code, `DNS lookup of ${host} failed (${code})`);
      }
    },
    async targetHealth(arn) {
      const pkg = "@aws-sdk/client-elastic-load-balancing-v2";
      const elb = client(pkg, "ElasticLoadBalancingV2Client", regionOfArn(arn) ?? "us-east-1");
      try {
        const out = await elb.send(new (sdk(pkg).DescribeTargetHealthCommand)({ TargetGroupArn: arn }));
        return (out.TargetHealthDescriptions ?? []).map((d: any): TargetHealth => ({
          ip: d.Target?.Id, port: Number(d.Target?.Port), state: d.TargetHealth?.State ?? "unknown",
          ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
          ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {}),
        }));
      } catch (e) {
        throw awsFailure(e, `DescribeTargetHealth of ${arn}`, "elasticloadbalancing:DescribeTargetHealth");
      }
    },
    async endpointConnections(serviceId, region) {
      const pkg = "@aws-sdk/client-ec2";
      const ec2 = client(pkg, "EC2Client", region);
      const connections: EndpointConnection[] = [];
      let token: string | undefined;
      try {
        do {
          const out = await ec2.send(new (sdk(pkg).DescribeVpcEndpointConnectionsCommand)({
            Filters: [{ Name: "service-id", Values: [serviceId] }], ...(token ? { NextToken: token } : {}),
          }));
          for (const c of out.VpcEndpointConnections ?? []) {
            connections.push(
              { vpcEndpointId: c.VpcEndpointId, state: c.VpcEndpointState ?? "unknown",
                ...(c.VpcEndpointOwner ? { owner: c.VpcEndpointOwner } : {}) });
          }
          token = out.NextToken;
        } while (token);
      } catch (e) {
        throw awsFailure(e, `DescribeVpcEndpointConnections of ${serviceId}`, "ec2:DescribeVpcEndpointConnections");
      }
      return connections;
    },
    nccRules: (accountId, nccId, auth) => nccRulesOf(auth, accountId, nccId),
  };
}
