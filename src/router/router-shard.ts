// One shard of a router: an internal NLB, its security group and the VPC endpoint service in
// front of it (`RouterShard`, internal: routers make their shards), and `IRouterShard`, what users
// read of one. Its per-target rules and listeners come from the router's for_each resources.
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { TerraformProvider } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { addressOf, expression } from "../core/expressions";
import { withName } from "./tags";
import { RouterRoute } from "./target-types";

/**
 * One shard of a router (`PrivateLinkRouter.shards`): an internal Network Load Balancer, its
 * security group and the VPC endpoint service in front of it. A shard holds at most
 * `maxTargetsPerLoadBalancer` listeners (AWS allows 50 per NLB). Routers create shards; you do not.
 */
export interface IRouterShard extends IConstruct {
  /** The shard's number, 0 for the first, which is part of its construct id (`Shard0`). */
  readonly index: number;
  /** The internal network load balancer. */
  readonly loadBalancer: Lb;
  /** The security group attached to the load balancer, whose rules are separate resources. */
  readonly securityGroup: SecurityGroup;
  /** The VPC endpoint service that Databricks (or any allowed principal) connects to. */
  readonly endpointService: VpcEndpointService;
  /**
   * What a database's security group must admit from this shard, on its routes' `admit` ports:
   * the CIDR blocks of the load balancer's subnets (a token list).
   */
  readonly sourceCidrs: string[];
  /**
   * The security group id (a token) that a database's security group may admit instead of the
   * CIDRs, where Transit Gateway security group referencing is on (same region only).
   */
  readonly securityGroupId: string;
  /** The routes whose listeners live on this shard, in declaration order. */
  readonly routes: RouterRoute[];
}

/** What a shard gets from its router. */
export interface RouterShardProps {
  /** The shard's number. */
  readonly index: number;
  /** The name of the load balancer and security group (1-32 characters). */
  readonly name: string;
  /** The router's `serviceName` (up to 64 characters): the shard's full name is `<serviceName>-<index>`. */
  readonly serviceName: string;
  /** The VPC. */
  readonly vpcId: string;
  /** The load balancer's subnets. */
  readonly subnetIds: string[];
  /** Cross-zone load balancing. */
  readonly crossZoneLoadBalancing: boolean;
  /** `enforce_security_group_inbound_rules_on_private_link_traffic` on or off. */
  readonly enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: boolean;
  /** Whether endpoint connections must be accepted. */
  readonly acceptanceRequired: boolean;
  /** The allowed principals (usually a lazy list shared by every shard). */
  readonly allowedPrincipals: string[];
  /** The CIDR blocks of the load balancer's subnets (a token list). */
  readonly sourceCidrs: string[];
  /**
   * Tags of every resource (a Name tag is added).
   * @default {}
   */
  readonly tags?: { [key: string]: string };
  /**
   * The AWS provider.
   * @default - the stack's default aws provider
   */
  readonly provider?: TerraformProvider;
}

/** A router's shard, as IRouterShard describes it; made by the router only (not exported from the package). */
export class RouterShard extends Construct implements IRouterShard {
  /** The shard's number, 0 for the first, which is part of its construct id (`Shard0`). */
  public readonly index: number;
  /** The internal network load balancer. */
  public readonly loadBalancer: Lb;
  /** The security group attached to the load balancer, whose rules are separate resources. */
  public readonly securityGroup: SecurityGroup;
  /** The VPC endpoint service that Databricks (or any allowed principal) connects to. */
  public readonly endpointService: VpcEndpointService;
  /**
   * What a database's security group must admit from this shard, on its routes' `admit` ports:
   * the CIDR blocks of the load balancer's subnets (a token list).
   */
  public readonly sourceCidrs: string[];
  private readonly shardRoutes: RouterRoute[] = [];

  /**
   * @param scope the router
   * @param id `Shard<index>`
   * @param props what the router passes down
   */
  constructor(scope: Construct, id: string, props: RouterShardProps) {
    super(scope, id);
    this.index = props.index;
    this.sourceCidrs = props.sourceCidrs;
    // Where the AWS name had to cut the service name, the Name tag and the description carry it whole.
    const fullName = `${props.serviceName}-${props.index}`;
    const cut = !props.name.startsWith(`${fullName}-`);
    const tags = withName(props.tags ?? {}, cut ? fullName : props.name);

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: props.name,
      description: `PrivateLink router ${props.name}${cut ? ` (${fullName})` : ""}: egress to its database targets only`,
      vpcId: props.vpcId,
      tags,
      provider: props.provider,
    });

    this.loadBalancer = new Lb(this, "LoadBalancer", {
      name: props.name,
      internal: true,
      loadBalancerType: "network",
      ipAddressType: "ipv4",
      subnets: props.subnetIds,
      securityGroups: [expression(addressOf(this.securityGroup, ".id"))],
      enableCrossZoneLoadBalancing: props.crossZoneLoadBalancing,
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic ? "on" : "off",
      tags,
      provider: props.provider,
    });

    this.endpointService = new VpcEndpointService(this, "EndpointService", {
      acceptanceRequired: props.acceptanceRequired,
      networkLoadBalancerArns: [expression(addressOf(this.loadBalancer, ".arn"))],
      allowedPrincipals: props.allowedPrincipals,
      supportedIpAddressTypes: ["ipv4"],
      tags,
      provider: props.provider,
    });
  }

  /**
   * The security group id (a token) that a database's security group may admit instead of the
   * CIDRs, where Transit Gateway security group referencing is on (same region only).
   */
  public get securityGroupId(): string {
    return this.securityGroup.id;
  }

  /** The routes whose listeners live on this shard, in declaration order. */
  public get routes(): RouterRoute[] {
    return [...this.shardRoutes];
  }

  /** @internal Records a route placed on this shard. */
  public _addRoute(route: RouterRoute): void {
    this.shardRoutes.push(route);
  }
}
