import { describeCounts, judgePlan } from "../../../ops/adopt/plan-verdict";

function change(address: string, actions: string[], importing?: unknown) {
  return { address, mode: "managed", change: { actions, ...(importing ? { importing } : {}) } };
}

function plan(...changes: unknown[]) {
  return { format_version: "1.2", resource_changes: changes };
}

describe("judgePlan: the adoption proves itself", () => {
  test("a plan that destroys only what the report lists passes, with tofu's counts", () => {
    const verdict = judgePlan(
      plan(
        change("aws_lb.alb", ["no-op"]),
        change("aws_launch_template.lt", ["update"]),
        change("aws_security_group.x", ["no-op"], { id: "sg-1" }),
        change("aws_lb_listener_rule.old", ["delete"]),
        change("aws_cloudwatch_metric_alarm.a", ["create"]),
        change("aws_iam_role.old", ["forget"]),
        { address: "data.aws_ami.x", mode: "data", change: { actions: ["read"] } },
      ),
      ["aws_lb_listener_rule.old"],
    );
    expect(verdict).toEqual({ ok: true, problems: [], counts: { import: 1, add: 1, change: 1, destroy: 1, forget: 1, replace: 0 } });
  });

  test("a destroy the report does not list is refused, naming the address", () => {
    const verdict = judgePlan(plan(change('aws_lb_target_group.this["app"]', ["delete"])), ["aws_lb_target_group.other"]);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      'aws_lb_target_group.this["app"] would be destroyed, and the report does not list it as deliberately not kept',
    ]);
    expect(verdict.counts.destroy).toBe(1);
  });

  test("any replacement is refused and counted in add, destroy and replace", () => {
    for (const actions of [["delete", "create"], ["create", "delete"]]) {
      const verdict = judgePlan(plan(change("aws_lb.alb", actions)), ["aws_lb.alb"]);
      expect(verdict.ok).toBe(false);
      expect(verdict.problems[0]).toMatch(/^aws_lb\.alb would be replaced/);
      expect(verdict.counts).toEqual({ import: 0, add: 1, change: 0, destroy: 1, forget: 0, replace: 1 });
    }
  });

  test("a plan with no resource changes passes with zero counts", () => {
    expect(judgePlan({ format_version: "1.2" }, [])).toEqual({
      ok: true,
      problems: [],
      counts: { import: 0, add: 0, change: 0, destroy: 0, forget: 0, replace: 0 },
    });
  });

  test("what is not a plan is an error naming what is wrong", () => {
    expect(() => judgePlan([], [])).toThrow(/not a JSON object/);
    expect(() => judgePlan({ resource_changes: [] }, [])).toThrow(/no format_version/);
    expect(() => judgePlan({ format_version: "1.2", errored: true }, [])).toThrow(/errored/);
    expect(() => judgePlan({ format_version: "1.2", resource_changes: {} }, [])).toThrow(/resource_changes is not a list/);
    expect(() => judgePlan(plan({ address: "a.b" }), [])).toThrow(/resource_changes\[0\] has no address or no change\.actions/);
    expect(() => judgePlan(plan(change("a.b", ["explode"])), [])).toThrow(/resource_changes\[0\] \(a\.b\) has action "explode"; known: no-op/);
  });

  test("the counts line names every count", () => {
    expect(describeCounts({ import: 1, add: 16, change: 8, destroy: 3, forget: 1, replace: 0 })).toMatch(
      /1 to import, 16 to add, 8 to change, 3 to destroy, 1 to forget, 0 to replace$/,
    );
  });
});
