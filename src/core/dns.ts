// The hashicorp/dns provider block and its `dns_a_record_set` data source, written through
// cdktf's generic classes: no `@cdktf/provider-dns` (which has no CDK Terrain twin) at run time.
import { TerraformDataSource, TerraformMetaArguments, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { hclAttribute } from "./cdktf-seam";

/** The generator metadata `@cdktf/provider-dns` 9.x writes, so the output stays the same. */
const DNS_METADATA = { providerName: "dns", providerVersion: "3.4.3", providerVersionConstraint: "~> 3.2" };

/** A `provider "dns" {}` block with no settings (the stack's default dns provider). */
export class DnsProviderBlock extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: "dns", terraformGeneratorMetadata: DNS_METADATA, terraformProviderSource: "dns" });
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {};
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return {};
  }
}

/** `data "dns_a_record_set"`: the IPv4 addresses (`addrs`) of `host`. */
export class DnsARecordSet extends TerraformDataSource {
  constructor(scope: Construct, id: string, private readonly config: TerraformMetaArguments & { host: string }) {
    super(scope, id, { terraformResourceType: "dns_a_record_set", terraformGeneratorMetadata: DNS_METADATA, ...config });
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { host: this.config.host };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return { host: hclAttribute(this.config.host, "string") };
  }
}
