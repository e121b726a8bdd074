// Terraform judges every example and the scenario matrix: init, validate and plan (offline,
// real aws provider), with assertions on the planned values.
import * as fs from "fs";
import * as path from "path";
import { DatabricksNcc, PrivateLinkRouter } from "../../src";
import { actions, cliSynth, planned, plannedResources, terraformAvailable, Workspace } from "./harness/terraform";
import { addressOf, defaultDns, HOSTILE, hosts, LONG_SERVICE_NAME, scenarios, stackWithProviders, SUBNETS, synth, TOKEN_VALUES, VPC } from "./harness/scenarios";

const available = terraformAvailable();
const dirs = new Map<string, string>();
const plans = new Map<string, any>();
/** Per scenario: resources planned and seconds (init + validate + plan), printed at the end. */
const figures: string[] = [];
afterAll(() => {
  if (figures.length > 0) console.log(`Planned by Terraform (scenario, resources, seconds):\n${figures.join("\n")}`);
});

/** Plans a scenario once (init, validate, plan) and keeps the plan for the assertions below. */
function planOf(name: string): any {
  if (!plans.has(name)) {
    const scenario = scenarios().find((s) => s.name === name)!;
    const config = scenario.config();
    const ws = new Workspace(name);
    dirs.set(name, ws.dir);
    ws.writeStack(config, { assetsFrom: scenario.stackDir?.() });
    ws.setDns(scenario.dns ?? defaultDns(config));
    const started = Date.now();
    ws.init();
    const validation = ws.validate();
    if (!validation.valid) throw new Error(`terraform validate: ${JSON.stringify(validation.diagnostics, null, 2)}`);
    plans.set(name, ws.plan(scenario.vars ?? {}));
    figures.push(`  ${name}: ${Object.keys(plannedResources(plans.get(name))).length}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return plans.get(name);
}

const describeTf = available ? describe : describe.skip;

describeTf("every example and scenario inits, validates and plans", () => {
  test.each(scenarios().map((s) => s.name))("%s", (name) => {
    const plan = planOf(name);
    const all = Object.values(plannedResources(plan));
    // THEN: only creations, and the invariants hold on what Terraform would create
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(Object.values(actions(plan)).map((a) => a.join(",")))).toEqual(new Set(["create"]));
    for (const tg of planned(plan, "aws_lb_target_group")) {
      // A name that hashes a VPC made in the same apply is known only then (its own test below).
      if (name !== "vpc-created-in-stack") expect(tg.values.name).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/);
      expect(tg.values.health_check[0].protocol).toMatch(/^(TCP|HTTP|HTTPS)$/);
    }
    for (const lb of planned(plan, "aws_lb")) {
      expect(lb.values.name.length).toBeLessThanOrEqual(32);
      expect(lb.values.name.startsWith("internal-")).toBe(false);
      expect(lb.values.internal).toBe(true);
    }
    for (const rule of [...planned(plan, "aws_vpc_security_group_egress_rule"), ...planned(plan, "aws_vpc_security_group_ingress_rule")]) {
      expect(rule.values.cidr_ipv4).not.toBe("0.0.0.0/0");
    }
    for (const svc of planned(plan, "aws_vpc_endpoint_service")) {
      expect(svc.values.acceptance_required).toBe(true);
      expect(svc.values.allowed_principals ?? []).not.toContain("*");
    }
    // Every listener has a target group of its own, and every listener port is unique per load balancer.
    const listeners = planned(plan, "aws_lb_listener");
    expect(listeners.length).toBe(planned(plan, "aws_lb_target_group").length);
    // On the first plan no connection exists yet, so nothing is accepted.
    expect(planned(plan, "aws_vpc_endpoint_connection_accepter")).toEqual([]);
  });
});

describeTf("what Terraform plans", () => {
  test("every DNS address becomes an attachment with availability zone all, and a /32 egress rule per port", () => {
    const plan = planOf("sequential-three-shards");
    const attachments = planned(plan, "aws_lb_target_group_attachment");
    expect(attachments).toHaveLength(120);
    expect(new Set(attachments.map((a) => a.values.availability_zone))).toEqual(new Set(["all"]));
    expect(planned(plan, "aws_lb")).toHaveLength(3);
    const egress = planned(plan, "aws_vpc_security_group_egress_rule");
    expect(egress).toHaveLength(120);
    expect(egress.every((r) => /\/32$/.test(r.values.cidr_ipv4) && r.values.from_port === 5432)).toBe(true);
  });

  test("a target with availabilityZone auto registers without a zone; TCP_UDP and UDP get rules for both protocols", () => {
    const plan = planOf("cidrs-http-tcp-udp");
    const byIndex = (type: string) => Object.fromEntries(planned(plan, type).map((r) => [r.index, r.values]));
    const attachments = byIndex("aws_lb_target_group_attachment");
    expect(attachments["local/10.60.0.55"].availability_zone).toBeNull();
    expect(attachments["dns/10.60.0.53"].availability_zone).toBe("all");
    const egress = Object.keys(byIndex("aws_vpc_security_group_egress_rule")).sort();
    // syslog (UDP) is health-checked over HTTP on 8080, so it needs no tcp:514
    expect(egress).toEqual(["0/10.60.0.0/16/tcp:53", "0/10.60.0.0/16/tcp:5432", "0/10.60.0.0/16/tcp:6379",
      "0/10.60.0.0/16/tcp:8080", "0/10.60.0.0/16/udp:514", "0/10.60.0.0/16/udp:53"]);
    // each listener port from each CIDR, per protocol: pg tcp, dns tcp and udp, syslog udp, local tcp
    const ingress = Object.keys(byIndex("aws_vpc_security_group_ingress_rule")).sort();
    expect(ingress).toEqual(["10.50.0.0/16", "192.168.10.0/24"].flatMap((c) => [`dns/${c}/tcp`, `dns/${c}/udp`, `local/${c}/tcp`, `pg/${c}/tcp`, `syslog/${c}/udp`]).sort());
    const groups = byIndex("aws_lb_target_group");
    expect(groups.pg.health_check[0]).toMatchObject({ protocol: "HTTP", path: "/status", port: "8080", matcher: "200-399" });
    expect(groups.dns.health_check[0]).toMatchObject({ protocol: "TCP", port: "8080" });
    const listeners = byIndex("aws_lb_listener");
    expect(listeners.pg.tcp_idle_timeout_seconds).toBe(350);
    expect(listeners.syslog.protocol).toBe("UDP");
    expect(listeners.syslog.tcp_idle_timeout_seconds ?? null).toBeNull(); // UDP listeners take none
  });

  test("a VPC, subnets and a peer CIDR made in the same stack: DNS is read and every attachment and rule is keyed at plan", () => {
    const plan = planOf("vpc-created-in-stack");
    const keys = (type: string, router: string) => planned(plan, type).filter((r) => r.address.startsWith(`${type}.${router}_`)).map((r) => r.index).sort();
    // THEN: the lookups are read now, not deferred to apply ("depends on a resource with changes pending")
    expect((plan.resource_changes ?? []).filter((c: any) => c.type === "dns_a_record_set" && c.change.actions.includes("read"))).toEqual([]);
    expect(keys("aws_lb_target_group_attachment", "Router")).toEqual([`db0/${addressOf("db0.internal.example.com")}`, `db1/${addressOf("db1.internal.example.com")}`, "erp/10.9.0.1"].sort());
    expect(keys("aws_vpc_security_group_egress_rule", "Cidrs")).toEqual(["0/#0/tcp:5432", "0/10.8.0.0/16/tcp:5432"]);
    expect(keys("aws_vpc_security_group_ingress_rule", "Cidrs")).toEqual(["x/#0/tcp", "y/#0/tcp"]);
    // The target groups' names hash the VPC id, so Terraform knows them only at apply.
    const groups = (plan.resource_changes ?? []).filter((c: any) => c.type === "aws_lb_target_group");
    expect(groups.length).toBe(5);
    expect(groups.every((c: any) => c.change.after_unknown.name === true)).toBe(true);
  });

  test("targets added after addRouter(): the late one in shard 0 joins its rule, the one that opens shard 1 gets its own", () => {
    const rules = planned(planOf("late-targets-after-add-router"), "databricks_mws_ncc_private_endpoint_rule").map((r) => r.values.domain_names);
    expect(rules.sort()).toEqual([["db0.internal.example.com", "late1.internal.example.com"], ["late2.internal.example.com"]]);
  });

  test("a workspace id above 2^53, given as a string, is bound exactly (Terraform numbers are arbitrary precision)", () => {
    const { stack, databricks } = stackWithProviders();
    const r = new PrivateLinkRouter(stack, "Router", { vpcId: VPC, subnetIds: SUBNETS, targets: hosts(1) });
    new DatabricksNcc(stack, "Ncc", { region: "us-east-1", routers: [r], workspaceIds: [1234567890123456], workspaceIdStrings: ["9876543210123457"], provider: databricks });
    const config = synth(stack);
    const ws = new Workspace("workspace-id-strings");
    ws.writeStack(config);
    ws.setDns(defaultDns(config));
    ws.init();
    ws.plan();
    // The raw JSON: JavaScript's JSON.parse would round the number itself.
    const raw = ws.terraform(["show", "-no-color", "-json", "plan.bin"]).stdout;
    expect(raw).toContain('"workspace_id":9876543210123457');
    expect(raw).toContain('"workspace_id":1234567890123456');
    expect(raw).toMatch(/"index":"9876543210123457"/);
  });

  test("hostile strings reach AWS exactly as written", () => {
    const plan = planOf("hostile-strings");
    const group = planned(plan, "aws_lb_target_group")[0].values;
    expect(group.tags).toEqual({ "note": HOSTILE, "key ${x}": "v" });
    expect(group.health_check[0].path).toBe(`/health?q=${HOSTILE.replace(/\s/g, "")}`);
    const lb = planned(plan, "aws_lb")[0].values;
    expect(lb.tags).toMatchObject({ "note": HOSTILE, "key ${x}": "v" });
  });

  test("every prop given as a token plans exactly what its literal value plans", () => {
    const withTokens = plannedResources(planOf("tokens"));
    const literal = plannedResources(planOf("tokens-literal-twin"));
    expect(Object.keys(withTokens).sort()).toEqual(Object.keys(literal).sort());
    for (const [address, r] of Object.entries(literal)) expect([address, withTokens[address].values]).toEqual([address, r.values]);
    // and those values are the intended ones
    const group = planned(planOf("tokens"), "aws_lb_target_group").find((g) => g.index === "orders")!.values;
    expect(group).toMatchObject({ vpc_id: TOKEN_VALUES.vpc_id, deregistration_delay: "30", tags: TOKEN_VALUES.tags });
    expect(group.health_check[0]).toMatchObject({ port: "8080", path: "/health", interval: 20, timeout: 5, healthy_threshold: 4, unhealthy_threshold: 2 });
    const listener = planned(planOf("tokens"), "aws_lb_listener").find((l) => l.index === "orders")!.values;
    expect(listener.tcp_idle_timeout_seconds).toBe(900);
    const bindings = planned(planOf("tokens"), "databricks_mws_ncc_binding").map((b) => b.values.workspace_id).sort();
    expect(bindings).toEqual(TOKEN_VALUES.workspace_ids);
    const rule = planned(planOf("tokens"), "databricks_mws_ncc_private_endpoint_rule")[0].values;
    expect(rule)
      .toMatchObject({ network_connectivity_config_id: TOKEN_VALUES.ncc_id, domain_names: [TOKEN_VALUES.host, TOKEN_VALUES.domain_name] });
    const fn = planned(planOf("tokens"), "aws_lambda_function")[0].values;
    expect(fn).toMatchObject({ runtime: "nodejs22.x" });
    expect(planned(planOf("tokens"), "aws_cloudwatch_event_rule").map((r) => r.values.schedule_expression).filter((e) => e)).toEqual([TOKEN_VALUES.schedule]);
    expect(planned(planOf("tokens"), "aws_cloudwatch_metric_alarm").find((a) => /NoSuccessfulRun/.test(a.address))!.values.period).toBe(120);
    const alarm = planned(planOf("tokens"), "aws_cloudwatch_metric_alarm").find((a) => /NoHealthyTarget/.test(a.address))!.values;
    expect(alarm).toMatchObject({ evaluation_periods: TOKEN_VALUES.evaluation_periods, alarm_actions: TOKEN_VALUES.alarm_actions });
    const syncEgress = planned(planOf("tokens"), "aws_vpc_security_group_egress_rule").filter((r) => /IpSync/.test(r.address)).map((r) => `${r.values.from_port} ${r.values.cidr_ipv4}`).sort();
    expect(syncEgress).toEqual(["443 10.0.128.0/24", "53 10.60.0.2/32", "53 10.60.0.2/32"]);
    const ingress = planned(planOf("tokens"), "aws_vpc_security_group_ingress_rule").map((r) => r.values.cidr_ipv4);
    expect(new Set(ingress)).toEqual(new Set(TOKEN_VALUES.ingress_cidrs));
    const egress = planned(planOf("tokens"), "aws_vpc_security_group_egress_rule").filter((r) => !/IpSync/.test(r.address)).map((r) => r.values.cidr_ipv4);
    expect(new Set(egress)).toEqual(new Set(TOKEN_VALUES.egress_cidrs));
    const service = planned(planOf("tokens"), "aws_vpc_endpoint_service")[0].values;
    expect(service.allowed_principals).toEqual(expect.arrayContaining([TOKEN_VALUES.principal]));
    const lb = planned(planOf("tokens"), "aws_lb")[0].values;
    expect(lb.subnets).toEqual(TOKEN_VALUES.subnet_ids);
  });

  test("the NCC's own provider floor (>= 1.118.0) makes init choose 1.121.0 over the bindings' 1.99.0", () => {
    planOf("example-databricks-serverless");
    const lock = fs.readFileSync(path.join(dirs.get("example-databricks-serverless")!, ".terraform.lock.hcl"), "utf8");
    expect(lock).toMatch(/provider "registry.terraform.io\/databricks\/databricks" \{\n\s+version\s+= "1.121.0"\n\s+constraints = ">= 1.118.0"/);
  });

  test("the example binds both workspaces and plans one rule with its four domain names", () => {
    const plan = planOf("example-databricks-serverless");
    expect(planned(plan, "databricks_mws_ncc_binding").map((b) => b.values.workspace_id).sort()).toEqual([1234567890123456, 2345678901234567]);
    const rules = planned(plan, "databricks_mws_ncc_private_endpoint_rule");
    expect(rules).toHaveLength(1);
    expect(rules[0].values.domain_names).toHaveLength(4);
  });

  test("60 literal-IP targets with their own domain names connect with 6 rules; a 38-character serviceName gives valid AWS names", () => {
    const plan = planOf("ip-targets-with-domain-names");
    const rules = planned(plan, "databricks_mws_ncc_private_endpoint_rule");
    expect(rules.map((r) => [...r.values.domain_names].sort())).toEqual(
      Array.from({ length: 6 }, (_, s) => Array.from({ length: 10 }, (__, i) => `db${s * 10 + i}.db.internal`).sort()));
    const lbs = planned(plan, "aws_lb");
    expect(lbs).toHaveLength(6);
    for (const lb of lbs) {
      expect(lb.values.name).toMatch(/^databricks-serverless-pri-[0-9a-f]{6}$/);
      expect(lb.values.tags.Name).toMatch(new RegExp(`^${LONG_SERVICE_NAME}-[0-5]$`));
    }
    expect(planned(plan, "aws_lb_target_group").every((tg) => tg.values.name.length <= 32)).toBe(true);
  });
});

describeTf("what Terraform refuses at plan time", () => {
  /** A router of `n` host targets in one shard, planned with the given DNS answers. */
  function refusal(n: number, answers: (host: string) => string[]): string {
    const { stack } = stackWithProviders();
    new PrivateLinkRouter(stack, "Router", { vpcId: VPC, subnetIds: SUBNETS, targets: hosts(n) });
    const ws = new Workspace(`refusal-${n}`);
    ws.writeStack(synth(stack));
    ws.setDns(Object.fromEntries(hosts(n).map((t) => [t.host!, answers(t.host!)])));
    ws.init();
    return ws.planError().replace(/\s+/g, " "); // Terraform wraps messages
  }

  test("a shard whose names resolve to more addresses than 60 /32 egress rules allow fails the plan, naming the shard, the count and the fix", () => {
    // 31 names passed the synth-time count (one address each); two addresses each make 62 rules.
    const error = refusal(31, (h) => [addressOf(h, 0), addressOf(h, 1)]);
    expect(error).toMatch(/Router s\/Router: shard 0 would need 62 outbound rules \(one per resolved IP address and port\), over the 60-rule security group quota: set `egressCidrs`/);
  });

  test("a name that resolves to no address fails the plan", () => {
    expect(refusal(1, () => [])).toMatch(/db0\.internal\.example\.com resolved to no IPv4 address/);
  });

  test("a name that resolves to a public address fails the plan", () => {
    expect(refusal(1, () => ["52.1.2.3"])).toMatch(/db0\.internal\.example\.com resolved to a public address \(52\.1\.2\.3\)/);
  });
});

describeTf("the HCL output (cdktf synth --hcl, through the real CLI)", () => {
  test("validates and plans what the JSON output plans", () => {
    const root = path.join(__dirname, "..", "..");
    const jsonFile = cliSynth(root, false);
    const config = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
    const hclFile = cliSynth(root, true);
    const ws = new Workspace("example-hcl");
    ws.writeStack(config, { hcl: fs.readFileSync(hclFile, "utf8") });
    ws.setDns(defaultDns(config));
    ws.init();
    expect(ws.validate()).toMatchObject({ valid: true, error_count: 0 });
    const fromHcl = plannedResources(ws.plan());
    const fromJson = plannedResources(planOf("example-databricks-serverless"));
    expect(Object.keys(fromHcl).sort()).toEqual(Object.keys(fromJson).sort());
    for (const [address, r] of Object.entries(fromJson)) expect([address, fromHcl[address].values]).toEqual([address, r.values]);
  });
});

describeTf("IP sync and alarms (planned by the real aws provider)", () => {
  const values = (type: string, pattern: RegExp) => planned(planOf("ip-sync-and-alarms"), type).filter((r) => pattern.test(r.address)).map((r) => r.values);

  test("Terraform neither resolves nor attaches the hosts of a router with IP sync; literal IPs stay attached", () => {
    const plan = planOf("ip-sync-and-alarms");
    expect(JSON.stringify(plan.configuration)).not.toContain("dns_a_record_set");
    expect(planned(plan, "aws_lb_target_group_attachment").map((a) => a.index)).toEqual(["erp/10.60.1.7"]);
    // egress only to egressCidrs, which IP sync requires
    expect(new Set(values("aws_vpc_security_group_egress_rule", /Router_Egress/).map((r) => r.cidr_ipv4))).toEqual(new Set(["10.60.0.0/16"]));
  });

  test("the function: Node.js 22 in the router's subnets, one run at a time, its configuration", () => {
    const [fn] = values("aws_lambda_function", /^aws_lambda_function\.Router_/);
    expect(fn).toMatchObject({ runtime: "nodejs22.x", handler: "handler.handler", reserved_concurrent_executions: 1, memory_size: 256, timeout: 122 });
    expect(fn.vpc_config[0].subnet_ids).toEqual(SUBNETS);
    // (its environment holds the target group ARNs, unknown until apply: sequences.tf-test.ts checks it)
    const schedule = values("aws_cloudwatch_event_rule", /Router_IpSync_Schedule/);
    expect(schedule.map((r) => r.schedule_expression)).toEqual(["rate(1 minute)"]);
    expect(values("aws_cloudwatch_event_rule", /Other_IpSync_Schedule/)[0].schedule_expression).toBe("rate(5 minutes)");
    expect(values("aws_cloudwatch_log_group", /Router_/)[0]).toMatchObject({ name: `/aws/lambda/${fn.function_name}`, retention_in_days: 30 });
    expect(values("aws_lambda_invocation", /Router_/)).toHaveLength(1);
    expect(values("aws_lambda_permission", /Router_/)[0]).toMatchObject({ principal: "events.amazonaws.com", action: "lambda:InvokeFunction" });
    expect(values("aws_lambda_function_event_invoke_config", /Router_/)).toEqual([expect.objectContaining({ maximum_event_age_in_seconds: 3600, maximum_retry_attempts: 0 })]);
  });

  test("same account: a rule on the default bus runs it on the RDS failover events", () => {
    const [rule] = values("aws_cloudwatch_event_rule", /Router_IpSync_DatabaseEvents/);
    expect(rule.event_bus_name).toBe("default");
    const pattern = JSON.parse(rule.event_pattern);
    expect(pattern).toMatchObject({ "source": ["aws.rds"], "detail-type": ["RDS DB Instance Event", "RDS DB Cluster Event"] });
    expect(pattern.detail.EventID).toEqual(expect.arrayContaining(["RDS-EVENT-0071", "RDS-EVENT-0049"]));
    expect(values("aws_cloudwatch_event_bus", /Router_/)).toEqual([]);
    expect(values("aws_lambda_permission", /Router_IpSync_AllowDatabaseEvents/)).toHaveLength(1);
  });

  test("other accounts: a bus and its policy, and a rule on it (the policy's principals and the output: ip-sync.tf-test.ts)", () => {
    const [bus] = values("aws_cloudwatch_event_bus", /Other_IpSync_DatabaseEventBus/);
    expect(bus.name).toMatch(/^other-ip-sync-[0-9a-f]{6}-rds-events-[0-9a-f]{6}$/);
    const [policy] = values("aws_cloudwatch_event_bus_policy", /Other_IpSync_/);
    expect(policy.event_bus_name).toBe(bus.name); // the policy itself holds the bus ARN: known after apply
    const forwarded = values("aws_cloudwatch_event_rule", /Other_IpSync_ForwardedDatabaseEvents/);
    expect(forwarded.map((r) => r.event_bus_name)).toEqual([bus.name]);
    expect(JSON.parse(forwarded[0].event_pattern).source).toEqual(["aws.rds"]);
    expect(values("aws_cloudwatch_event_rule", /Other_IpSync_DatabaseEvents/)).toHaveLength(1);
  });

  test("per shard: the endpoint connection gone and no new connections, on the PrivateLink metrics", () => {
    const shard = values("aws_cloudwatch_metric_alarm", /Router_(EndpointDisconnected|NoNewConnections)/);
    expect(shard.map((a) => `${a.namespace} ${a.metric_name} ${a.period}`).sort())
      .toEqual(["AWS/PrivateLinkServices EndpointsCount 300", "AWS/PrivateLinkServices NewConnections 3600"]);
    expect(shard.find((a) => a.metric_name === "EndpointsCount")).toMatchObject({ treat_missing_data: "missing", insufficient_data_actions: ["arn:aws:sns:us-east-1:111122223333:db-alerts"] });
  });

  test("the IP sync's own alarms: function errors, target error lines, no completed run", () => {
    const sync = values("aws_cloudwatch_metric_alarm", /Router_(FunctionErrors|TargetErrors|NoSuccessfulRun)/);
    expect(sync.map((a) => `${a.namespace.replace(/\/.*-ip-sync-.*/, "/<sync>")} ${a.metric_name} ${a.period}`).sort())
      .toEqual(["AWS/Lambda Errors 60", "PrivateLinkRouter/<sync> Runs 60", "PrivateLinkRouter/<sync> TargetErrors 60"]);
    expect(values("aws_cloudwatch_log_metric_filter", /Router_/).map((f) => f.pattern).sort()).toEqual(['{ $.event = "error" }', '{ $.event = "summary" }']);
    expect(values("aws_cloudwatch_metric_alarm", /Other_NoSuccessfulRun/)[0]).toMatchObject({ period: 300, evaluation_periods: 3 });
  });

  test("two alarms per target group, on the NLB metrics, notifying the topic", () => {
    const alarms = values("aws_cloudwatch_metric_alarm", /Router_/).filter((a) => a.namespace === "AWS/NetworkELB");
    expect(alarms).toHaveLength(6);
    for (const a of alarms) {
      expect(a).toMatchObject({ namespace: "AWS/NetworkELB", period: 60, evaluation_periods: 3, alarm_actions: ["arn:aws:sns:us-east-1:111122223333:db-alerts"], ok_actions: ["arn:aws:sns:us-east-1:111122223333:db-alerts"] });
    }
    expect(alarms.filter((a) => a.metric_name === "HealthyHostCount").every((a) => a.comparison_operator === "LessThanThreshold" && a.threshold === 1 && a.treat_missing_data === "breaching")).toBe(true);
    expect(alarms.filter((a) => a.metric_name === "UnHealthyHostCount").every((a) => a.comparison_operator === "GreaterThanThreshold" && a.threshold === 0)).toBe(true);
    expect(alarms.map((a) => a.alarm_name).filter((n) => /-no-healthy-target$/.test(n))).toHaveLength(3);
  });
});
