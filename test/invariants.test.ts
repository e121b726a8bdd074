// The invariant checker itself: each check must report what breaks it (a checker that passes
// everything would let every test that uses it pass too).
import { checkInvariants } from "./invariants";

const forEachOf = (body: object) => ({ for_each: "${local.m}", ...body });

describe("invariant 8: no instance-by-instance reference between for_each resources", () => {
  const groups = { aws_lb_target_group: { TG: forEachOf({ name: "${each.key}" }) } };
  test.each([
    ["a direct reference", { target_group_arn: "${aws_lb_target_group.TG[each.key].arn}" }, "aws_lb_listener.L refers to aws_lb_target_group.TG instance by instance"],
    ["a depends_on", { depends_on: ["aws_lb_target_group.TG"] }, "aws_lb_listener.L depends_on aws_lb_target_group.TG"],
  ])("%s is reported", (_what, body, message) => {
    const json = { resource: { ...groups, aws_lb_listener: { L: forEachOf(body) } } };
    expect(checkInvariants(json)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test("a reference through a local is not", () => {
    const json = { resource: { ...groups, aws_lb_listener: { L: forEachOf({ target_group_arn: "${local.groups[each.key]}" }) } } };
    expect(checkInvariants(json).filter((m) => m.includes("instance by instance") || m.includes("depends_on"))).toEqual([]);
  });
});
