// The router's props, validated and completed with their defaults in one place (`RouterSettings`,
// which the router's parts read), but for those the router takes from its props as given:
// `targets` and `allowedPrincipals` (checked one by one, as addTarget() and allowPrincipal() do),
// `awsProvider` and `dnsProvider` (checked by core/providers.ts), and `ipSync` and `alarms`
// (validated and given their defaults by operations.ts, which loads their modules only when used).
import { IConstruct } from "constructs";
import { ValidationError } from "../core/errors";
import { isToken, show, validateCidr, validateOneOf, validatePattern, validatePort, validateRange } from "../core/validate";
import { resolveHealthCheck } from "./target-spec";
import { HealthCheckOptions } from "./target-types";
import { PortAssignment, PrivateLinkRouterProps } from "./types";

/** AWS's fixed quota of listeners per Network Load Balancer. */
export const MAX_LISTENERS_PER_NLB = 50;
/** The longest `serviceName`: the full name goes into Name tags and descriptions. */
export const MAX_SERVICE_NAME = 64;

const SERVICE_NAME = new RegExp(`^(?!internal-)[A-Za-z0-9]([A-Za-z0-9-]{0,${MAX_SERVICE_NAME - 2}}[A-Za-z0-9])?$`, "i");

/** Every router prop after defaults. */
export interface RouterSettings {
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly serviceName: string;
  readonly portAssignment: PortAssignment;
  readonly basePort: number;
  readonly maxTargets: number;
  readonly defaultHealthCheck: HealthCheckOptions;
  readonly ingressCidrs: string[];
  readonly egressCidrs?: string[];
  readonly tags?: { [key: string]: string };
  readonly acceptanceRequired: boolean;
  readonly crossZoneLoadBalancing: boolean;
  readonly enforceInboundRulesOnPrivateLink: boolean;
  readonly tcpIdleTimeoutSeconds: number;
  readonly deregistrationDelaySeconds: number;
  readonly portMapFile?: string;
}

/** Validates every router prop (targets aside) and fills in the defaults; throws ValidationError. */
export function resolveRouterSettings(scope: IConstruct, props: PrivateLinkRouterProps): RouterSettings {
  if (props === null || typeof props !== "object") {
    throw new ValidationError(
      `the router's props must be an object like { vpcId, subnetIds, targets } (got ${show(props)}); pass PrivateLinkRouterProps`, scope);
  }
  const basePort = props.basePort ?? 10000;
  validateProps(scope, props, basePort);
  return {
    vpcId: props.vpcId,
    subnetIds: props.subnetIds,
    serviceName: props.serviceName ?? "privatelink-router",
    portAssignment: props.portAssignment ?? PortAssignment.SEQUENTIAL,
    basePort,
    maxTargets: props.maxTargetsPerLoadBalancer ?? MAX_LISTENERS_PER_NLB,
    defaultHealthCheck: props.healthCheck ?? {},
    ingressCidrs: props.ingressCidrs ?? [],
    egressCidrs: props.egressCidrs,
    tags: props.tags,
    acceptanceRequired: props.acceptanceRequired ?? true,
    crossZoneLoadBalancing: props.crossZoneLoadBalancing ?? true,
    enforceInboundRulesOnPrivateLink: props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? false,
    tcpIdleTimeoutSeconds: props.tcpIdleTimeoutSeconds ?? 350,
    deregistrationDelaySeconds: props.deregistrationDelaySeconds ?? 300,
    portMapFile: props.portMapFile,
  };
}

function validateProps(scope: IConstruct, props: PrivateLinkRouterProps, basePort: number): void {
  if (props.targets !== undefined && !isToken(props.targets) && !Array.isArray(props.targets)) {
    throw new ValidationError(`\`targets\` must be a list of targets (got ${show(props.targets)}); pass [{ host, port }, ...]`, scope);
  }
  if (props.vpcId === undefined || props.vpcId === null || props.vpcId === "") {
    throw new ValidationError(`\`vpcId\` is missing (got ${show(props.vpcId)}); give the id of the VPC attached to the Transit Gateway, ` +
      `e.g. vpc-0123456789abcdef0 (an unset environment variable reads as undefined)`, scope);
  }
  if (!isToken(props.vpcId)) validatePattern(scope, "vpcId", props.vpcId, /^vpc-[0-9a-f]{8,17}$/, "a VPC id like vpc-0123456789abcdef0");
  if (!isToken(props.subnetIds)) {
    if (!Array.isArray(props.subnetIds) || props.subnetIds.length === 0) {
      throw new ValidationError(`\`subnetIds\` must list at least one subnet (got ${show(props.subnetIds)}); give one subnet per ` +
        `Availability Zone of the VPC`, scope);
    }
    props.subnetIds.forEach((s, i) =>
      validatePattern(scope, `subnetIds[${i}]`, s, /^subnet-[0-9a-f]{8,17}$/, "a subnet id like subnet-0123456789abcdef0"));
    const dup = props.subnetIds.find((s, i) => props.subnetIds.indexOf(s) !== i);
    if (dup) throw new ValidationError(`\`subnetIds\` lists ${show(dup)} twice; list each subnet once`, scope);
  }
  validatePattern(scope, "serviceName", props.serviceName, SERVICE_NAME,
    `1-${MAX_SERVICE_NAME} letters, digits and inner hyphens, not starting with "internal-" (it prefixes every AWS name, cut to fit ` +
    `with a hash)`);
  validatePort(scope, "basePort", basePort);
  validateOneOf(scope, "portAssignment", props.portAssignment, Object.values(PortAssignment));
  validateRange(scope, "maxTargetsPerLoadBalancer", props.maxTargetsPerLoadBalancer, 1, MAX_LISTENERS_PER_NLB,
    `AWS allows at most ${MAX_LISTENERS_PER_NLB} listeners per Network Load Balancer (not adjustable); use 1 to ${MAX_LISTENERS_PER_NLB}`);
  validateRange(scope, "tcpIdleTimeoutSeconds", props.tcpIdleTimeoutSeconds, 60, 6000);
  validateRange(scope, "deregistrationDelaySeconds", props.deregistrationDelaySeconds, 0, 3600);
  if (props.portMapFile !== undefined && (typeof props.portMapFile !== "string" || props.portMapFile.trim() === "")) {
    throw new ValidationError(`\`portMapFile\` must be a file path (got ${show(props.portMapFile)}); e.g. "ports.json", beside cdktf.json`,
      scope);
  }
  if (!isToken(props.ingressCidrs)) (props.ingressCidrs ?? []).forEach((c, i) => validateCidr(scope, `ingressCidrs[${i}]`, c, false));
  if (props.egressCidrs !== undefined && !isToken(props.egressCidrs)) {
    if (props.egressCidrs.length === 0) {
      throw new ValidationError("`egressCidrs` is empty, which would let the load balancers reach no target; leave it unset for per-IP " +
        "rules, or list the targets' networks", scope);
    }
    props.egressCidrs.forEach((c, i) => validateCidr(scope, `egressCidrs[${i}]`, c, true));
  }
  validateTags(scope, props.tags);
  resolveHealthCheck(scope, {}, props.healthCheck, "healthCheck");
}

function validateTags(scope: IConstruct, tags: { [key: string]: string } | undefined): void {
  for (const [k, v] of isToken(tags) ? [] : Object.entries(tags ?? {})) {
    if (isToken(k)) {
      throw new ValidationError(
        "`tags` has a key that is a token; tag keys must be literal (values may be tokens), or pass the whole map as one token", scope);
    }
    if (isToken(v)) continue;
    if (k.length < 1 || k.length > 128 || typeof v !== "string" || v.length > 256 || k.toLowerCase().startsWith("aws:")) {
      throw new ValidationError(`\`tags\` has an invalid tag ${show(k)}=${show(v)}; keys are 1-128 characters and must not start with ` +
        `"aws:", values at most 256 characters`, scope);
    }
  }
}
