// Accepts the endpoint connections Databricks opens for an NCC's rules: reads the NCC's rules
// back on every plan (they exist only after Databricks makes them) and keys an accepter per rule.
import { VpcEndpointConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-accepter";
import { DataDatabricksMwsNetworkConnectivityConfig } from "@cdktf/provider-databricks/lib/data-databricks-mws-network-connectivity-config";
import {
  DataDatabricksMwsNetworkConnectivityConfigs,
} from "@cdktf/provider-databricks/lib/data-databricks-mws-network-connectivity-configs";
import { Lazy, TerraformLocal, TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { readOnce } from "../core/cdktf-seam";
import { addressOf, escapeTemplate, expression, forEachOver, literal } from "../core/expressions";
import { PrivateLinkRouter } from "../router/private-link-router";
import { IRouterShard } from "../router/router-shard";
import { existingNccs } from "./name-claim";
import { routerKey } from "./rule-plan";

/** What the accepter needs from its NCC. */
export interface AccepterInput {
  readonly region: string;
  /** The created NCC's name (found by name), or undefined for an existing NCC (found by id). */
  readonly nccName?: string;
  /** The NCC's `settings` local: `name` and `id` (literals or tokens). */
  readonly settings: TerraformLocal;
  /** The account-level databricks provider. */
  readonly provider?: TerraformProvider;
  /** The AWS provider of the accepters (default: each router's). */
  readonly awsProvider?: TerraformProvider;
}

/** An NCC's connection acceptance: one reading of its rules, one accepter resource per router. */
export class ConnectionAccepter {
  /** The names of every NCC of the account in the region, read on every plan. */
  public readonly nccNames: DataDatabricksMwsNetworkConnectivityConfigs;
  private endpoints?: TerraformLocal;

  constructor(private readonly scope: Construct, private readonly input: AccepterInput) {
    this.nccNames = existingNccs(scope, input.region, input.provider); // shared with the NCC's name claim
  }

  /**
   * Accepts the connections of this NCC's rules to the router's services. Databricks creates
   * the endpoint after the rule, so the accepters are keyed by rule id as read back from the
   * NCC data sources, which only read an NCC that already exists: the first plan accepts
   * nothing, the next apply accepts.
   *
   * A rule is accepted when it carries the router's domain names and points at one of the
   * router's endpoint services. The two filters run one after the other: a service name is
   * unknown while its shard is being created, and an unknown in the first filter would make the
   * whole `for_each` unknown. A rule with the router's names that points elsewhere is left alone
   * and reported by a `check` block (a warning, not a failed plan), except on a plan where one of
   * the router's services is being created: Terraform 1.11 cannot tell an unknown name from a
   * different one, so that plan fails with "Invalid for_each argument" (README, "Things to know").
   */
  public accept(router: PrivateLinkRouter, domains: () => string[]): VpcEndpointConnectionAccepter {
    const endpoints = this.readEndpoints();
    const id = routerKey(router, this.scope);
    const scope = this.scope;
    const routerValues = new TerraformLocal(scope, `${id}_domains`, literal(scope, domains));
    // Within one stack, references by address; across stacks, cdktf's own tokens, which it turns
    // into an output of the router's stack and a remote state read in this one: read once per
    // shard (cdktf-seam.ts, 12).
    const sameStack = TerraformStack.of(router) === TerraformStack.of(scope);
    const serviceToken = readOnce((s: IRouterShard) => s.endpointService.serviceName);
    const serviceOf = (s: IRouterShard) => (sameStack ? expression(addressOf(s.endpointService, ".service_name")) : serviceToken(s));
    const services = new TerraformLocal(scope, `${id}_services`, Lazy.anyValue({ produce: () => router.shards.map(serviceOf) }));
    // The NCC's rules that carry one of this router's domain names.
    const sharesName = `try(length(setintersection(toset(r.domain_names), toset(${addressOf(routerValues)}))) > 0, false)`;
    const named = new TerraformLocal(scope, `${id}_rules`,
      expression(`{ for id, r in ${addressOf(endpoints)} : id => r if ${sharesName} }`));
    const each = forEachOver(`{ for id, r in ${addressOf(named)} : id => r if contains(${addressOf(services)}, r.endpoint_service) }`);
    const accepter = new VpcEndpointConnectionAccepter(scope, `${id}Accept`, {
      forEach: each,
      vpcEndpointId: expression("each.value.vpc_endpoint_id"),
      // From the rule as read back (known at plan time), never from the router's resources: a
      // shard added in the same plan has an unknown service, and an unknown value in this
      // replace-forcing attribute would plan every existing accepter for replacement, which
      // rejects its connection.
      vpcEndpointServiceId: expression("regex(\"vpce-svc-[0-9a-z]+$\", each.value.endpoint_service)"),
      provider: this.input.awsProvider ?? router.awsProvider,
      // Destroyed before the services: destroying an accepter rejects its connection, and AWS
      // refuses to delete a service that still has one (ExistingVpcEndpointConnections).
      // Across stacks, the stacks' order does it: the NCC's stack depends on the router's.
      dependsOn: sameStack ? router.shards.map((s) => s.endpointService) : undefined,
    });
    TerraformStack.of(scope).addOverride(`check.${named.friendlyUniqueId}_point_at_router`, {
      assert: [{
        condition: expression(`alltrue([for r in values(${addressOf(named)}) : contains(${addressOf(services)}, r.endpoint_service)])`),
        // A template: the construct paths are escaped text, the list is Terraform's.
        error_message: `Rules of NCC ${escapeTemplate(scope.node.path)} carry the domain names of ` +
          `router ${escapeTemplate(router.node.path)} but point at another endpoint service, so they are not accepted: \${join(", ", ` +
          `[for id, r in ${addressOf(named)} : "\${id} (\${r.endpoint_service})" if !contains(${addressOf(services)}, ` +
          `r.endpoint_service)])}. Delete them, or give the router other domain names.`,
      }],
    });
    return accepter;
  }

  /** The NCC's endpoint rules that have an endpoint, by rule id, read on every plan. */
  private readEndpoints(): TerraformLocal {
    if (this.endpoints) return this.endpoints;
    const { provider, settings } = this.input;
    // A created NCC is found by its name; an existing one by its id (every NCC of the region is read).
    const byName = this.input.nccName !== undefined ? ` if n == ${addressOf(settings)}.name` : "";
    const read = new DataDatabricksMwsNetworkConnectivityConfig(this.scope, "Read", {
      forEach: forEachOver(`{ for n in ${addressOf(this.nccNames, ".names")} : n => n${byName} }`),
      name: expression("each.value"),
      provider,
    });
    const byId = this.input.nccName === undefined ? ` && r.network_connectivity_config_id == ${addressOf(settings)}.id` : "";
    const rulesOf = "try(n.egress_config[0].target_rules[0].aws_private_endpoint_rules, [])";
    const allRules = `flatten([for n in ${addressOf(read)} : ${rulesOf}])`;
    const hasEndpoint = "try(length(r.vpc_endpoint_id) > 0, false)";
    this.endpoints = new TerraformLocal(this.scope, "endpoints",
      expression(`{ for r in ${allRules} : r.rule_id => r if ${hasEndpoint}${byId} }`));
    return this.endpoints;
  }
}
