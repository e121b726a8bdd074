import { DatabricksNcc, PrivateLinkRouter } from "../../src";
import { newStack, routerProps, synth } from "../helpers";

// The security defaults, each asserted on its own, on a router with default props.
const build = () => {
  const { stack, databricks } = newStack();
  const router = new PrivateLinkRouter(stack, "Router", routerProps({
    targets: [
      { name: "pg", host: "pg.corp.internal", port: 5432, healthCheck: { port: "8008" } },
      { name: "sql", ips: ["10.20.1.10", "10.20.2.10"], port: 1433 },
    ],
  }));
  new DatabricksNcc(stack, "Ncc", { region: "us-east-1", provider: databricks }).addRouter(router, { domainNames: ["pg.corp.internal", "sql.corp.internal"] });
  return synth(stack);
};

test("no 0.0.0.0/0 anywhere", () => {
  expect(JSON.stringify(build())).not.toContain("0.0.0.0/0");
});

test("no * principal: only the Databricks role, acceptance required", () => {
  const svc = Object.values<any>(build().resource.aws_vpc_endpoint_service)[0];
  expect(svc.allowed_principals).toEqual(["arn:aws:iam::565502421330:role/private-connectivity-role-us-east-1"]);
  expect(svc.acceptance_required).toBe(true);
});

test("no ingress by default: no inline rules, no ingress rule resource, enforcement off", () => {
  const json = build();
  const sg = Object.values<any>(json.resource.aws_security_group)[0];
  expect(Object.keys(sg).sort()).toEqual(["//", "description", "lifecycle", "name", "tags", "vpc_id"].filter((k) => k in sg).sort());
  // its only lifecycle entries are the plan-time rule quota checks
  expect(sg.lifecycle.precondition.map((c: any) => c.condition)).toEqual([expect.stringMatching(/: c\.egress <= 60\]\)\}$/), expect.stringMatching(/: c\.ingress <= 60\]\)\}$/)]);
  expect(sg).not.toHaveProperty("ingress");
  expect(sg).not.toHaveProperty("egress");
  expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
  expect(json.resource.aws_security_group_rule).toBeUndefined();
  expect(Object.values<any>(json.resource.aws_lb)[0].enforce_security_group_inbound_rules_on_private_link_traffic).toBe("off");
});

test("egress only to target addresses (/32 of each pair) on their traffic and health-check ports", () => {
  const json = build();
  const rules = Object.entries<string>(json.locals).find(([k]) => k.includes("_egress_rules_"))![1];
  const targets = Object.entries<any>(json.locals).find(([k]) => k.includes("_targets_"))![1];
  expect(rules).toContain('cidr = "${p.ip}/32"');
  expect(rules).toContain("_target_ip_pairs_");
  expect(targets.pg.egress).toBe("tcp:5432,tcp:8008");
  expect(targets.sql.egress).toBe("tcp:1433");
  const rule = Object.values<any>(json.resource.aws_vpc_security_group_egress_rule)[0];
  expect(rule.from_port).toBe("${each.value.port}");
  expect(rule.to_port).toBe("${each.value.port}");
  expect(rule.ip_protocol).toBe("${each.value.protocol}");
  expect(rule.cidr_ipv4).toBe("${each.value.cidr}");
});
