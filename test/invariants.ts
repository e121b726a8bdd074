/**
 * Checks a synthesized stack against the invariants of docs/design.md#invariants. Returns the
 * violations (empty when it holds). Reused by unit, property and example tests.
 */
const NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

export interface InvariantOptions {
  /** Expect `acceptance_required` true on every endpoint service (default true). */
  readonly acceptanceRequired?: boolean;
  /** The router's `egressCidrs`, when given. */
  readonly egressCidrs?: string[];
  /** The router's `maxTargetsPerLoadBalancer` (default 50). */
  readonly maxTargets?: number;
}

export function checkInvariants(json: any, opts: InvariantOptions = {}): string[] {
  const v: string[] = [];
  const text = JSON.stringify(json);
  const resources = json.resource ?? {};
  const locals = json.locals ?? {};

  // 1. Literal names only, 1-32 chars of [A-Za-z0-9-], no leading/trailing hyphen; LB names not "internal-".
  if (text.includes("name_prefix")) v.push("a resource uses name_prefix");
  const names: Array<[string, string]> = [];
  for (const type of ["aws_lb", "aws_security_group"]) {
    for (const [id, r] of Object.entries<any>(resources[type] ?? {})) names.push([`${type}.${id}`, r.name]);
  }
  for (const [id, r] of Object.entries<any>(resources.aws_lb ?? {})) {
    if (/^internal-/i.test(r.name)) v.push(`aws_lb.${id} name starts with internal-`);
  }
  const targetMaps = Object.entries<any>(locals).filter(([k, m]) => /_targets_/.test(k) && typeof m === "object");
  for (const [k, m] of targetMaps) {
    for (const [name, e] of Object.entries<any>(m)) names.push([`${k}["${name}"].target_group_name`, e.target_group_name]);
  }
  for (const [where, name] of names) {
    if (typeof name !== "string" || !NAME.test(name)) v.push(`${where}: bad AWS name ${JSON.stringify(name)}`);
  }
  const tgNames = names.filter(([w]) => w.endsWith("target_group_name")).map(([, n]) => n);
  if (new Set(tgNames).size !== tgNames.length) v.push("two target groups share a name");
  for (const [id, tg] of Object.entries<any>(resources.aws_lb_target_group ?? {})) {
    if (tg.lifecycle?.create_before_destroy !== true) v.push(`aws_lb_target_group.${id} lacks create_before_destroy`);
    if (!tg.health_check?.protocol) v.push(`aws_lb_target_group.${id} health_check without protocol`);
  }

  // 2. Listener ports unique within a load balancer; at most M (<= 50) listeners per load balancer.
  const max = Math.min(opts.maxTargets ?? 50, 50);
  for (const [k, m] of targetMaps) {
    const byShard = new Map<number, number[]>();
    for (const e of Object.values<any>(m)) byShard.set(e.shard, [...(byShard.get(e.shard) ?? []), e.listener_port]);
    for (const [shard, ports] of byShard) {
      if (new Set(ports).size !== ports.length) v.push(`${k}: shard ${shard} repeats a listener port`);
      if (ports.length > max) v.push(`${k}: shard ${shard} has ${ports.length} listeners (> ${max})`);
      if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) v.push(`${k}: shard ${shard} has a port out of range`);
    }
  }

  // 4. Per-target resources are keyed by name: for_each, never count.
  for (const [type, byId] of Object.entries<any>(resources)) {
    for (const [id, r] of Object.entries<any>(byId)) if ("count" in r) v.push(`${type}.${id} uses count`);
  }
  for (const type of ["aws_lb_target_group", "aws_lb_listener", "aws_lb_target_group_attachment", "aws_vpc_security_group_egress_rule"]) {
    for (const [id, r] of Object.entries<any>(resources[type] ?? {})) {
      if (typeof r.for_each !== "string" || !r.for_each.startsWith("${")) v.push(`${type}.${id} is not for_each over a map`);
    }
  }

  // 5. IP targets default to availability_zone "all" (null only where a target said "auto").
  for (const [k, m] of targetMaps) {
    for (const [name, e] of Object.entries<any>(m)) {
      if (e.availability_zone !== null && !/^(all|[a-z]{2}(-[a-z]+)+-\d[a-z])$/.test(e.availability_zone)) v.push(`${k}["${name}"] bad availability_zone`);
    }
  }

  // 6. Separate rule resources; nothing admitted by default; egress only to targets (or egressCidrs).
  for (const [id, sg] of Object.entries<any>(resources.aws_security_group ?? {})) {
    if ("ingress" in sg || "egress" in sg) v.push(`aws_security_group.${id} has inline rules`);
  }
  if (resources.aws_security_group_rule) v.push("uses aws_security_group_rule");
  for (const [k, rules] of Object.entries<any>(locals).filter(([key]) => /_egress_rules_/.test(key))) {
    // Rules are built by Terraform: per IP (/32), or from the router's egressCidrs setting only.
    const router = k.replace(/egress_rules_[0-9A-F]+$/, "");
    const settings = Object.entries<any>(locals).find(([key]) => key.startsWith(`${router}settings_`))?.[1];
    if (rules.includes(".egress_cidrs")) {
      for (const cidr of Object.values<string>(settings?.egress_cidrs ?? {})) {
        if (!opts.egressCidrs?.includes(cidr)) v.push(`${k}: egress to ${cidr}, not an egressCidr`);
      }
    } else if (!rules.includes('cidr = "${p.ip}/32"')) {
      v.push(`${k}: per-IP egress rules are not /32`);
    }
  }

  // 7. No "*" principal, no 0.0.0.0/0, acceptance required by default.
  if (text.includes("0.0.0.0/0")) v.push("0.0.0.0/0 appears");
  for (const [id, svc] of Object.entries<any>(resources.aws_vpc_endpoint_service ?? {})) {
    if ((svc.allowed_principals ?? []).some((p: string) => p.includes("*"))) v.push(`aws_vpc_endpoint_service.${id} allows *`);
    if ((opts.acceptanceRequired ?? true) && svc.acceptance_required !== true) v.push(`aws_vpc_endpoint_service.${id} does not require acceptance`);
  }
  // 8. What Terraform pays: no resource or data source with for_each or count refers to another
  // for_each or count one instance by instance, nor depends_on it: Terraform would join every
  // instance of one to every instance of the other (instances x instances). Through locals only.
  const repeated = new Set<string>();
  for (const kind of ["resource", "data"]) {
    for (const [type, blocks] of Object.entries<any>(json[kind] ?? {})) {
      for (const [id, b] of Object.entries<any>(blocks)) if (b.for_each !== undefined || b.count !== undefined) repeated.add(`${kind === "data" ? "data." : ""}${type}.${id}`);
    }
  }
  for (const kind of ["resource", "data"]) {
    for (const [type, blocks] of Object.entries<any>(json[kind] ?? {})) {
      for (const [id, b] of Object.entries<any>(blocks)) {
        if (b.for_each === undefined && b.count === undefined) continue;
        const { depends_on: dependsOn, ...rest } = b;
        const body = JSON.stringify(rest);
        for (const other of repeated) {
          const self = `${kind === "data" ? "data." : ""}${type}.${id}`;
          if (other === self) continue;
          if (body.includes(`${other}[`) || body.includes(`${other}.`)) v.push(`${self} refers to ${other} instance by instance: read it through a local`);
          if ((dependsOn ?? []).includes(other)) v.push(`${self} depends_on ${other}: order it through a local`);
        }
      }
    }
  }
  return v;
}
