// The DNS lookups of a router's `host` targets: one `dns_a_record_set` data source, for_each over
// those targets, whose postconditions stop a plan on an empty or public answer; and the targets
// map ordered after them, for the target groups.
import { TerraformLocal, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { DnsARecordSet } from "../core/dns";
import { addressOf, expression, forEachOver } from "../core/expressions";
import { conditions } from "../core/cdktf-seam";
import { PRIVATE_RANGES } from "../ip-sync/private-ranges";
import { TARGET } from "./target-map";

/** Looks up every `host` target of the per-target map on each plan. */
export class HostLookup {
  /** The data source (`for_each` keyed by target name; `addrs` per key). */
  public readonly dataSource: DnsARecordSet;
  /**
   * The per-target map, once every lookup is done: what the target groups iterate, so that the
   * dns provider has finished (and its process ended) before the plan holds the aws resources'
   * planned values, instead of running beside them (BENCHMARKS.md, "egressCidrs at N = 300").
   * The condition is always true; its reference gives the order (one graph edge).
   */
  public readonly targetsAfterLookups: TerraformLocal;

  constructor(scope: Construct, targets: TerraformLocal, provider: TerraformProvider | undefined) {
    // An address is private when its own block, at a range's prefix length, is that range.
    const ranges = JSON.stringify(PRIVATE_RANGES);
    // In a local: Terraform evaluates a resource's `for_each` again for each of its instances.
    const hosts = new TerraformLocal(scope, "lookup_hosts",
      expression(`{ for k, v in ${addressOf(targets)} : k => v.${TARGET.host} if v.${TARGET.host} != null }`));
    this.dataSource = new DnsARecordSet(scope, "Lookup", {
      forEach: forEachOver(addressOf(hosts)),
      host: expression("each.value"),
      provider,
      lifecycle: {
        postcondition: conditions(scope, [
          { condition: expression("length(self.addrs) > 0"), errorMessage:
            "${self.host} resolved to no IPv4 address: the target group would be empty. Check the name, or use `ips`." },
          {
            condition: expression(`alltrue([for ip in self.addrs : anytrue([for r in ${ranges} : cidrsubnet("\${ip}/\${split("/", ` +
              `r)[1]}", 0, 0) == r])])`),
            errorMessage: "${self.host} resolved to a public address (${join(\", \", self.addrs)}): an NLB only accepts private IP " +
              "targets. Use the database's private endpoint, or `ips`.",
          },
        ]),
      },
    });
    this.targetsAfterLookups = new TerraformLocal(scope, "after_lookups",
      expression(`{ for k, t in ${addressOf(targets)} : k => t if length(${addressOf(this.dataSource)}) >= 0 }`));
  }
}
