// What each database's security group must admit from the router: its ports (traffic and health
// check) from the load balancers' subnets' CIDRs, or from a shard's security group where Transit
// Gateway security group referencing is on (same region). Read from the subnets at plan time.
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { TerraformCount, TerraformLocal, TerraformOutput, TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { addressOf, expression } from "../core/expressions";
import { shardField, TARGET } from "./target-map";

/** The locals the access output reads. */
export interface DatabaseAccessInput {
  /** The router's settings local (`subnet_ids`). */
  readonly settings: TerraformLocal;
  /** The per-target map (`host`, `shard`, `egress`). */
  readonly targets: TerraformLocal;
  /** The `ips` targets' addresses, by target name. */
  readonly literalIps: TerraformLocal;
  /** Per shard: `security_group_id`. */
  readonly shards: TerraformLocal;
  readonly provider?: TerraformProvider;
}

/** The router's subnets, read once, and a `database_access` output with one line per target. */
export class DatabaseAccess {
  /** The CIDR blocks of the load balancers' subnets (a token list, known at plan time). */
  public readonly sourceCidrs: string[];
  /** The subnets, one per `subnetIds` entry (`count`), for their CIDRs and Availability Zones. */
  public readonly subnets: DataAwsSubnet;

  constructor(scope: Construct, input: DatabaseAccessInput) {
    const subnetIds = `${addressOf(input.settings)}.subnet_ids`;
    // `count` (not for_each): subnet ids may be unknown until apply; their number is known.
    this.subnets = new DataAwsSubnet(scope, "Subnet", {
      count: TerraformCount.of(Token.asNumber(expression(`length(${subnetIds})`))),
      id: expression(`${subnetIds}[count.index]`),
      provider: input.provider,
    });
    this.sourceCidrs = Token.asList(expression(`${addressOf(this.subnets)}[*].cidr_block`));
    const cidrs = `join(", ", ${addressOf(this.subnets)}[*].cidr_block)`;
    const database = `t.${TARGET.host} != null ? t.${TARGET.host} : join(",", ${addressOf(input.literalIps)}[k])`;
    const portList = `[for e in split(",", t.${TARGET.egress}) : replace(e, ":", "/")]`;
    const ports = `join(", ", ${portList})`;
    const sg = shardField(addressOf(input.shards), `t.${TARGET.shard}`, "security_group_id");
    const line = `"\${${database}}: allow \${${ports}} from \${${cidrs}} `
      + `(or from security group \${${sg}} through Transit Gateway security group referencing, same region only)"`;
    const entry = `{ database = ${database}, ports = ${portList}, from_cidrs = ${addressOf(this.subnets)}[*].cidr_block, ` +
      `from_security_group = ${sg}, line = ${line} }`;
    new TerraformOutput(scope, "database_access", {
      description: "What each database's security group must admit: one entry per target, with a line to hand its owner",
      value: expression(`{ for k, t in ${addressOf(input.targets)} : k => ${entry} }`),
    });
  }
}
