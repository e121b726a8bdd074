// The DNS lookups of a router's `host` targets: one `dns_a_record_set` data source, for_each over
// those targets, whose postconditions stop a plan on an empty or public answer.
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

  constructor(scope: Construct, targets: TerraformLocal, provider: TerraformProvider | undefined) {
    // An address is private when its own block, at a range's prefix length, is that range.
    const ranges = JSON.stringify(PRIVATE_RANGES);
    this.dataSource = new DnsARecordSet(scope, "Lookup", {
      forEach: forEachOver(`{ for k, v in ${addressOf(targets)} : k => v.${TARGET.host} if v.${TARGET.host} != null }`),
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
  }
}
