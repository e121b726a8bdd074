// The public shapes of one database behind a router: the target, its health check, and the
// route a notebook user takes to it.

/** Health check settings of a target group (NLB limits apply). */
export interface HealthCheckOptions {
  /**
   * TCP, HTTP or HTTPS. Always written: the AWS provider would otherwise default it to HTTP.
   * @default "TCP"
   */
  readonly protocol?: string;
  /**
   * "traffic-port" or a port number (1-65535) as a string.
   * @default "traffic-port"
   */
  readonly port?: string;
  /**
   * The path to request, starting with "/"; only for HTTP and HTTPS.
   * @default - none for TCP; "/" for HTTP and HTTPS
   */
  readonly path?: string;
  /**
   * Consecutive successes before a target is healthy, 2-10.
   * @default 3
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failures before a target is unhealthy, 2-10.
   * @default 3
   */
  readonly unhealthyThreshold?: number;
  /**
   * Seconds between checks, 5-300; must be greater than `timeoutSeconds`.
   * @default 30
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds without a response that fail a check, 2-120.
   * @default 10
   */
  readonly timeoutSeconds?: number;
}

/** One database behind the router. */
export interface RouterTarget {
  /**
   * The stable key of the target: Terraform addresses (`aws_lb_listener.x["orders"]`), the port
   * map file and `portOf()` use it. 1-64 characters: letters, digits, `.`, `_` and `-`,
   * starting with a letter or digit. Renaming a target replaces its resources.
   * @default - the first label of `host` (`orders` for `orders.cluster-x.rds.amazonaws.com`), or `ip-10-1-2-3` for the first IP
   */
  readonly name?: string;
  /**
   * The database's DNS name, resolved by `data.dns_a_record_set` on every plan. Exactly one of
   * `host` and `ips`.
   * @default - none: `ips` must be given
   */
  readonly host?: string;
  /**
   * Literal private IPv4 addresses (10/8, 172.16/12, 192.168/16, 100.64/10). Exactly one of
   * `host` and `ips`.
   * @default - none: `host` must be given
   */
  readonly ips?: string[];
  /** The database's own port, 1-65535. */
  readonly port: number;
  /**
   * Pins the NLB listener port (1-65535). A pinned port never moves.
   * @default - assigned by the router's `portAssignment`
   */
  readonly listenerPort?: number;
  /**
   * TCP, UDP or TCP_UDP.
   * @default "TCP"
   */
  readonly protocol?: string;
  /**
   * "all" for IPs outside the load balancer's VPC (Transit Gateway, peering), which AWS requires
   * for them; "auto" omits it, for IPs inside the VPC (AWS refuses "all" there); or an
   * Availability Zone name such as "us-east-1a".
   * @default "all"
   */
  readonly availabilityZone?: string;
  /**
   * Overrides the router's health check, field by field.
   * @default - the router's `healthCheck`
   */
  readonly healthCheck?: HealthCheckOptions;
  /**
   * The name notebooks connect to for this database, with its listener port: one of the domain
   * names of its shard's private endpoint rule (`DatabricksNcc`). Keep the database's own
   * hostname where clients verify TLS hostnames (the default); use a name in a private zone you
   * control for an `ips` target, or to give a database a shorter name. Required for an `ips`
   * target on a router connected to a `DatabricksNcc`. A shard's rule takes at most 10 names.
   * @default - `host`; none for an `ips` target
   */
  readonly domainName?: string;
}

/** Where a notebook reaches one database. */
export interface RouterRoute {
  /** The target's name. */
  readonly name: string;
  /**
   * The database's DNS name.
   * @default - none (an `ips` target)
   */
  readonly host?: string;
  /**
   * The database's literal IPs.
   * @default - none (a `host` target)
   */
  readonly ips?: string[];
  /** The database's own port. */
  readonly targetPort: number;
  /** The NLB listener port: what a notebook connects to, with a rule domain name. */
  readonly listenerPort: number;
  /** The shard (load balancer and endpoint service) that holds the listener. */
  readonly shard: number;
  /**
   * The name notebooks connect to (`domainName`, else `host`).
   * @default - none (an `ips` target without `domainName`)
   */
  readonly domainName?: string;
  /**
   * What the database's security group must admit from the router's subnets (`sourceCidrs`):
   * its traffic and health-check ports, e.g. `["tcp/5432", "tcp/8080"]`.
   */
  readonly admit: string[];
}
