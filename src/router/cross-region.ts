// Cross-region PrivateLink: a consumer (an NCC) in another region reaches the router's endpoint
// services only when they list its region in `supported_regions`, and AWS wants the load
// balancers in at least two Availability Zones for it. Decided at synthesis when both regions
// are literal, by Terraform when either is a token.
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { TerraformLocal, TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { ValidationError } from "../core/errors";
import { addressOf, expression, literal } from "../core/expressions";
import { conditions } from "../core/cdktf-seam";
import { isToken, show } from "../core/validate";
import { IRouterShard } from "./router-shard";

/** What the router gives its cross-region support. */
export interface CrossRegionInput {
  /** The router's region, when its aws provider sets a literal one. */
  readonly hostRegion?: string;
  readonly subnetIds: string[];
  /** The router's subnets (their Availability Zones are checked at plan time). */
  readonly subnets: DataAwsSubnet;
  readonly shards: () => IRouterShard[];
  readonly provider?: TerraformProvider;
}

/** The consumer regions of a router's endpoint services, and the checks that go with them. */
export class CrossRegion {
  private readonly regions = new Set<string>();
  private consumerRegions?: TerraformLocal;
  private host?: string;

  constructor(private readonly scope: Construct, private readonly input: CrossRegionInput) {}

  /** Throws ValidationError when the router cannot serve consumers in `region`; changes nothing. */
  public check(region: string): void {
    const host = this.input.hostRegion;
    if (this.known(region) && region !== host && !isToken(this.input.subnetIds) && this.input.subnetIds.length < 2) {
      throw new ValidationError(`the router's region ${host} differs from the consumer's ${region}, and cross-region PrivateLink needs ` +
        `the load balancers in at least two Availability Zones, but \`subnetIds\` lists ${show(this.input.subnetIds)}; give one subnet ` +
        `in each of two or more Availability Zones`, this.scope);
    }
  }

  /** Lets consumers in `region` connect (after `check`): lists it on every shard's endpoint service. */
  public add(region: string): void {
    if (this.known(region) && region === this.input.hostRegion) return;
    this.regions.add(region);
    const known = [...this.regions].every((r) => this.known(r));
    for (const shard of this.input.shards()) this.apply(shard, known);
  }

  /** Both regions are literal, so TypeScript can compare them. */
  private known(region: string): boolean {
    const host = this.input.hostRegion;
    return host !== undefined && !isToken(host) && !isToken(region);
  }

  private apply(shard: IRouterShard, known: boolean): void {
    const azs = `length(distinct(${addressOf(this.input.subnets)}[*].availability_zone)) >= 2`;
    const message = "A consumer in another region needs the load balancer's subnets in at least two Availability Zones (cross-region " +
      "PrivateLink): give `subnetIds` in two or more zones.";
    if (known) {
      shard.endpointService.supportedRegions = [this.input.hostRegion!, ...this.regions].sort();
      shard.endpointService.lifecycle = { precondition: conditions(this.scope, [{ condition: expression(azs), errorMessage: message }]) };
      return;
    }
    // Terraform decides: the host region from the provider, the consumer regions from a local.
    this.host ??= addressOf(new DataAwsRegion(this.scope, "Region", { provider: this.input.provider }), ".id");
    this.consumerRegions ??= new TerraformLocal(this.scope, "consumer_regions", literal(this.scope, () => [...this.regions].sort()));
    const others = `setsubtract(${addressOf(this.consumerRegions)}, [${this.host}])`;
    shard.endpointService.supportedRegions = Token.asList(expression(`length(${others}) == 0 ? null : sort(distinct(` +
      `concat([${this.host}], ${addressOf(this.consumerRegions)})))`));
    shard.endpointService.lifecycle =
      { precondition: conditions(this.scope, [{ condition: expression(`length(${others}) == 0 || ${azs}`), errorMessage: message }]) };
  }
}
