// What `status` asks the live systems, as one interface: the DNS answer, a target group's targets
// and their health, an endpoint service's connections, an NCC's private endpoint rules. The real
// implementation (live-clients.ts) talks to AWS and Databricks; the tests point it at loopback fakes.

import { DatabricksAuth } from "./databricks-api";

/** One registered target of a target group and its health (ELBv2 DescribeTargetHealth). */
export interface TargetHealth {
  readonly ip: string;
  readonly port: number;
  /** initial, healthy, unhealthy, unused, draining, unavailable, unhealthy.draining. */
  readonly state: string;
  /** Elb.InitialHealthChecking, Target.Timeout, Target.FailedHealthChecks, ... */
  readonly reason?: string;
  readonly description?: string;
}

/** One connection to an endpoint service (EC2 DescribeVpcEndpointConnections). */
export interface EndpointConnection {
  readonly vpcEndpointId: string;
  /** pendingAcceptance, pending, available, deleting, deleted, rejected, failed, expired. */
  readonly state: string;
  readonly owner?: string;
}

/** One private endpoint rule of an NCC (Databricks account API). */
export interface NccRule {
  readonly ruleId: string;
  /** CREATING, CREATE_FAILED, PENDING, ESTABLISHED, REJECTED, DISCONNECTED, EXPIRED. */
  readonly connectionState?: string;
  readonly vpcEndpointId?: string;
  readonly errorMessage?: string;
  readonly deactivated?: boolean;
}

/** A failure of one question that concerns one route (not the credentials or the usage). */
export class ProbeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "ProbeError";
  }
}

export interface Live {
  /** The A records of `host` now; throws a ProbeError (code ENOTFOUND, ETIMEOUT, ...) when there is no answer. */
  resolve(host: string): Promise<string[]>;
  targetHealth(targetGroupArn: string): Promise<TargetHealth[]>;
  endpointConnections(serviceId: string, region: string): Promise<EndpointConnection[]>;
  nccRules(accountId: string, nccId: string, auth: DatabricksAuth): Promise<NccRule[]>;
}
