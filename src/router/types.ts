// The public shapes of a router's configuration: its props, port assignment, IP sync and alarms.
import { TerraformProvider } from "cdktf";
import { HealthCheckOptions, RouterTarget } from "./target-types";

/** How a router chooses each target's listener port. */
export enum PortAssignment {
  /**
   * Ports count up from `basePort`: shard k owns `basePort + k*M` .. `basePort + (k+1)*M - 1`
   * (M = `maxTargetsPerLoadBalancer`), and each target takes the lowest free port.
   */
  SEQUENTIAL = "SEQUENTIAL",
  /**
   * The listener port is the database's own port, so notebooks keep `host:port` unchanged.
   * Two databases on the same port land in different shards.
   */
  TARGET_PORT = "TARGET_PORT",
}

/** Properties of a PrivateLinkRouter. */
export interface PrivateLinkRouterProps {
  /** The VPC of the load balancers and target groups (`vpc-...`). */
  readonly vpcId: string;
  /** Subnets of the internal load balancers (`subnet-...`), one per Availability Zone; at least one. */
  readonly subnetIds: string[];
  /**
   * Prefix of every AWS name the router makes: 1-64 characters, letters, digits and inner
   * hyphens, not starting with "internal-". AWS names are `<serviceName>-<shard|target>-<hash6>`,
   * cut to 32 characters (the hash keeps them unique); where a shard's name is cut, its Name
   * tag and security group description carry the full `<serviceName>-<shard>`.
   * @default "privatelink-router"
   */
  readonly serviceName?: string;
  /**
   * The databases; sugar for calling `addTarget` for each, in order.
   * @default - none; add them with `addTarget`
   */
  readonly targets?: RouterTarget[];
  /**
   * First listener port of SEQUENTIAL assignment, 1-65535.
   * @default 10000
   */
  readonly basePort?: number;
  /**
   * How listener ports are chosen.
   * @default PortAssignment.SEQUENTIAL
   */
  readonly portAssignment?: PortAssignment;
  /**
   * A JSON file, resolved against the working directory like `cdktf.json`, that records each
   * target's listener port and shard (and the ports of removed targets), so that removing or
   * reordering targets never moves another one. Written during synthesis when it changes:
   * commit it. In read-only mode (context `cdktf-privatelink-router:portMapFile` or env
   * `PRIVATELINK_ROUTER_PORT_MAP` set to "read-only", for CI and unit tests) it is only read, and
   * synthesis fails when it would change.
   * @default - none: ports follow declaration order
   */
  readonly portMapFile?: string;
  /**
   * Listeners per load balancer (and so targets per shard), 1-50 (AWS's fixed NLB quota).
   * @default 50
   */
  readonly maxTargetsPerLoadBalancer?: number;
  /**
   * The health check of every target group, unless a target overrides it.
   * @default - TCP on the traffic port, 3/3 thresholds, every 30 s, 10 s timeout
   */
  readonly healthCheck?: HealthCheckOptions;
  /**
   * CIDR blocks allowed in on the listener ports. PrivateLink traffic does not need any while
   * `enforceSecurityGroupInboundRulesOnPrivateLinkTraffic` is off. Never `0.0.0.0/0`.
   * @default []
   */
  readonly ingressCidrs?: string[];
  /**
   * Private CIDR blocks the load balancers may reach on the target and health-check ports,
   * instead of one /32 rule per resolved target IP. Use it when the per-IP rules would pass the
   * 60-rule security group quota, or when IPs change often (RDS failover).
   * @default - one /32 egress rule per resolved target IP and port
   */
  readonly egressCidrs?: string[];
  /**
   * Evaluate inbound rules for PrivateLink traffic. Databricks requires it off.
   * @default false
   */
  readonly enforceSecurityGroupInboundRulesOnPrivateLinkTraffic?: boolean;
  /**
   * IAM principal ARNs allowed to create endpoints to the services. `*` is refused.
   * @default []
   */
  readonly allowedPrincipals?: string[];
  /**
   * Whether each endpoint connection must be accepted. Keep it on: the Databricks principal is
   * shared by every Databricks customer in the region.
   * @default true
   */
  readonly acceptanceRequired?: boolean;
  /**
   * Cross-zone load balancing on the load balancers.
   * @default true
   */
  readonly crossZoneLoadBalancing?: boolean;
  /**
   * Idle timeout of TCP listeners, 60-6000 seconds; a database connection idle longer is
   * silently dropped.
   * @default 350
   */
  readonly tcpIdleTimeoutSeconds?: number;
  /**
   * Seconds a deregistered target keeps its connections, 0-3600.
   * @default 300
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Tags of every taggable resource.
   * @default {}
   */
  readonly tags?: { [key: string]: string };
  /**
   * The AWS provider of every AWS resource.
   * @default - the stack's default aws provider, which the app must declare
   */
  readonly awsProvider?: TerraformProvider;
  /**
   * The dns provider of the DNS lookups.
   * @default - the stack's default dns provider, created if absent
   */
  readonly dnsProvider?: TerraformProvider;
  /**
   * A Lambda in the router's VPC that keeps `host` targets' IPs current between applies (RDS and
   * Aurora failover): it re-resolves every `host` on a schedule and registers and deregisters
   * their IPs itself, so Terraform no longer resolves or attaches them. Requires `egressCidrs`.
   * @default - none: IPs follow DNS on each plan only
   */
  readonly ipSync?: IpSyncOptions;
  /**
   * CloudWatch alarms per target group: no healthy target, any unhealthy target.
   * @default - none
   */
  readonly alarms?: RouterAlarmOptions;
}

/** A Lambda in the router's VPC that keeps `host` targets' IPs current between applies. */
export interface IpSyncOptions {
  /**
   * How often it runs: an EventBridge schedule expression, `rate(...)` or `cron(...)`; at most
   * once a minute.
   * @default "rate(1 minute)"
   */
  readonly schedule?: string;
  /**
   * Runs an IP must be absent from a good DNS answer before it is deregistered, 1-100 (an
   * error, an empty answer or a public address is not a good answer and changes nothing).
   * @default 1
   */
  readonly deregisterAfterMisses?: number;
  /**
   * Subnets of the function (private subnets with a route to the DNS servers and the ELB API).
   * @default - the router's subnets
   */
  readonly subnetIds?: string[];
  /**
   * DNS servers to ask, IPv4 `ip` or `ip:port` (at most 3), e.g. a Route 53 Resolver inbound
   * endpoint; the function's security group opens port 53 to them.
   * @default - the VPC's resolver (AmazonProvidedDNS, which security groups do not filter)
   */
  readonly dnsServers?: string[];
  /**
   * Create an interface VPC endpoint for the ELB API (`com.amazonaws.<region>.elasticloadbalancing`,
   * private DNS on) in the function's subnets, and let the function reach it on 443. Turn it off
   * when the VPC already has one (private DNS on) or a NAT route, and give `apiEgressCidrs`.
   * @default true
   */
  readonly createElbEndpoint?: boolean;
  /**
   * Where the function may reach the ELB API on 443 when `createElbEndpoint` is false: the CIDRs
   * of the existing endpoint's subnets, or the networks behind your NAT route. Never `0.0.0.0/0`.
   * @default - none; required when `createElbEndpoint` is false
   */
  readonly apiEgressCidrs?: string[];
  /**
   * Also run on the RDS events that can move a database's address (cluster failovers, Multi-AZ
   * failovers, reboots, a stopped instance started, offline maintenance, an instance class
   * change), through an EventBridge rule on this account's default bus: the function then polls
   * DNS every 2 seconds until the answer changes (60 s at most) and registers the new address
   * within seconds. The schedule stays as the backstop (RDS events are best effort).
   * @default true
   */
  readonly syncOnDatabaseEvents?: boolean;
  /**
   * AWS accounts whose databases' RDS events should reach the function (databases in other
   * accounts, the usual case): an event bus in the router's account admits them, and the
   * `rds_event_forwarding` output gives each database owner the rule to add in their account
   * (event pattern and target bus). 1-100 12-digit account ids.
   * @default - none: only this account's RDS events reach the function
   */
  readonly eventSourceAccounts?: string[];
}

/** CloudWatch alarms per target group: no healthy target, any unhealthy target. */
export interface RouterAlarmOptions {
  /** SNS topic ARNs notified when an alarm fires and when it clears (alarm and OK actions); at least one. */
  readonly actions: string[];
  /**
   * One-minute periods a condition must last before the alarm fires, 1-60.
   * @default 2
   */
  readonly evaluationPeriods?: number;
  /**
   * Also alarm per shard when no new connection has come through its endpoint service for this
   * many minutes, 5-1440: for estates where notebooks connect all day, silence means a broken route.
   * @default - no such alarm
   */
  readonly noNewConnectionsMinutes?: number;
}
