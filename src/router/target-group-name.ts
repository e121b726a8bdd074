// A target group's name, computed in TypeScript where the VPC id is literal and finished by
// Terraform where it is a token (the `for_each` map then holds no VPC id, so DNS is read at plan).
import { expression } from "../core/expressions";
import { readablePart, shortHash, withHash } from "../core/names";
import { isToken } from "../core/validate";
import { RouterSettings } from "./router-settings";
import { TargetSpec } from "./target-spec";
import { TARGET, TargetEntry } from "./target-map";

/**
 * A target group's name: `<serviceName>-<target>-<hash6>`, the hash over the router's path,
 * the target, its port and protocol, the target type and the VPC, so that a change that
 * replaces the group also renames it. With a token VPC the entry holds only literals (the
 * readable part and the digest) and Terraform completes the hash in the resource's `name`
 * (tokenVpcTargetGroupName): the same name, and no VPC id in the `for_each` map.
 */
export function targetGroupName(
  s: RouterSettings,
  spec: TargetSpec,
  routerPath: string,
): Pick<TargetEntry, "target_group_name" | "target_group_digest"> {
  const readable = readablePart([s.serviceName.slice(0, 20), spec.name]);
  const digest = shortHash(JSON.stringify([routerPath, spec.name, spec.port, spec.protocol, "ip"]), 64);
  if (!isToken(s.vpcId)) return { target_group_name: withHash(readable, shortHash(`${digest}\n${s.vpcId}`)) };
  return { target_group_name: readable, target_group_digest: digest };
}

/**
 * The name of a target group whose VPC is a token: the entry's readable part and the first 6 hex
 * characters of sha256("<digest>\n<vpc id>"), as `withHash` writes it. References only.
 */
export function tokenVpcTargetGroupName(settings: string): string {
  const name = `each.value.${TARGET.target_group_name}`;
  const hash = `substr(sha256("\${each.value.${TARGET.target_group_digest}}\\n\${${settings}.vpc_id}"), 0, 6)`;
  return expression(`${name} == "" ? ${hash} : "\${${name}}-\${${hash}}"`);
}
