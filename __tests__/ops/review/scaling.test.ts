/**
 * The review of scaling policies and scheduled actions. The schedule plans start from
 * `scheduled-scale-in.json`, recorded against the emulator (a nightly schedule added to
 * sample-app-local: max 2, desired 2 on a group of 2 to 4; scripts/record-plan-fixtures.mjs);
 * updates and deletes use its planned values as the prior state. The policy plans edit the
 * recorded no-change plan's CPU policy.
 */
import * as fs from "fs";
import * as path from "path";
import { classifyChanges } from "../../../ops/review/classify";
import { PlanJson, ResourceChange } from "../../../ops/review/plan";
import { EXIT_CODES, buildReport } from "../../../ops/review/report";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "plans");
type Values = Record<string, unknown>;

function recorded(name: string): PlanJson {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
}

function review(plan: PlanJson, production?: boolean) {
  return buildReport(plan, { stack: "sample-app-local", environment: "local", production });
}

function scheduleChange(plan: PlanJson): ResourceChange {
  return plan.resource_changes!.find((rc) => rc.type === "aws_autoscaling_schedule")!;
}

/** The recorded plan with the new schedule's planned values changed. */
function newSchedule(values: Values): PlanJson {
  const plan = recorded("scheduled-scale-in");
  Object.assign(scheduleChange(plan).change.after!, values);
  return plan;
}

/** The recorded schedule as if it existed, then updated (`after` values) or deleted (`after` null). */
function existingSchedule(after: Values | null): PlanJson {
  const plan = recorded("scheduled-scale-in");
  const rc = scheduleChange(plan);
  const before = { ...rc.change.after, arn: "arn:aws:autoscaling:us-east-1:123456789012:scheduledUpdateGroupAction:0:autoScalingGroupName/sample-app-local:scheduledActionName/night-scale-in", id: "night-scale-in", start_time: "2026-12-06T21:00:00Z", end_time: "" };
  Object.assign(rc.change, { actions: after === null ? ["delete"] : ["update"], before, after: after === null ? null : { ...before, ...after }, after_unknown: {} });
  return plan;
}

function finding(plan: PlanJson, type: string) {
  const found = classifyChanges(plan, { production: undefined }).filter((f) => f.type === type);
  expect(found).toHaveLength(1);
  return found[0];
}

describe("scheduled actions", () => {
  it("the recorded plan: a new nightly schedule that sets max and desired 2 on a group of 2 to 4", () => {
    const rc = scheduleChange(recorded("scheduled-scale-in"));
    expect(rc.change.actions).toEqual(["create"]);
    expect(rc.change.after).toMatchObject({ recurrence: "0 22 * * *", time_zone: "Europe/Berlin", min_size: -1, max_size: 2, desired_capacity: 2 });
  });

  it("a new schedule that can take instances away needs approval in production, saying when and what", () => {
    const r = review(recorded("scheduled-scale-in"), true);
    expect(r).toMatchObject({ verdict: "needs approval", exitCode: EXIT_CODES.disruptive });
    const schedule = r.needsReview.find((f) => f.type === "aws_autoscaling_schedule")!;
    expect(schedule.impact).toBe(
      'new schedule at "0 22 * * *" (Europe/Berlin): max 2, desired 2; desired 2 replaces whatever the group runs then (a scale-in when it runs more); max 2 is below the group\'s 4: it can take instances out of service on the production group. Approve the schedule explicitly',
    );
  });

  it("fails closed when production is not known: the same schedule needs approval", () => {
    const r = review(recorded("scheduled-scale-in"));
    expect(r.exitCode).toBe(EXIT_CODES.disruptive);
    expect(r.needsReview.find((f) => f.type === "aws_autoscaling_schedule")!.impact).toContain("whether this environment is production is not known to this review");
  });

  it("outside production the same schedule is stated, not blocked", () => {
    const r = review(recorded("scheduled-scale-in"), false);
    expect(r).toMatchObject({ verdict: "benign", exitCode: EXIT_CODES.ok });
    expect(r.benign.find((f) => f.type === "aws_autoscaling_schedule")!.impact).toMatch(/^new schedule at "0 22 \* \* \*" \(Europe\/Berlin\): max 2, desired 2; desired 2 replaces/);
  });

  it("a schedule that only raises the bounds is benign, also in production", () => {
    const r = review(newSchedule({ min_size: 3, max_size: -1, desired_capacity: -1 }), true);
    expect(r).toMatchObject({ verdict: "benign", exitCode: EXIT_CODES.ok });
    expect(r.benign.find((f) => f.type === "aws_autoscaling_schedule")!.impact).toBe(
      'new schedule at "0 22 * * *" (Europe/Berlin): min 3: only raises the group\'s bounds, never takes an instance away',
    );
    expect(review(newSchedule({ min_size: -1, max_size: 4, desired_capacity: -1 }), true).verdict).toBe("benign");
  });

  it("a schedule's minimum below the group's, or 0, needs approval in production", () => {
    expect(review(newSchedule({ min_size: 1, max_size: -1, desired_capacity: -1 }), true).needsReview[0].impact).toContain("min 1 is below the group's 2");
    expect(review(newSchedule({ min_size: 0, max_size: -1, desired_capacity: -1 }), true).needsReview[0].impact).toContain("min 0 lets scale-in take the group to no instances");
  });

  it("a schedule to 0 instances is disruptive everywhere", () => {
    for (const production of [true, false]) {
      const r = review(newSchedule({ max_size: 0, desired_capacity: 0 }), production);
      expect(r.verdict).toBe("disruptive");
      expect(r.disruptive.find((f) => f.type === "aws_autoscaling_schedule")!.impact).toContain("the group scales to 0 instances then (the service stops)");
    }
  });

  it("a size lowered needs approval in production; a size raised is benign", () => {
    const lowered = review(existingSchedule({ desired_capacity: 1 }), true);
    expect(lowered.needsReview.map((f) => `${f.type}:${f.kind}`)).toEqual(["aws_autoscaling_schedule:update"]);
    expect(lowered.needsReview[0].impact).toContain('the schedule now sets, at "0 22 * * *" (Europe/Berlin): desired 1');
    expect(review(existingSchedule({ max_size: 3, desired_capacity: 3 }), true).verdict).toBe("benign");
    expect(review(existingSchedule({ desired_capacity: 1 }), false).verdict).toBe("benign");
  });

  it("moving when a schedule runs needs approval in production and is stated elsewhere", () => {
    const moved = review(existingSchedule({ recurrence: "0 20 * * *", time_zone: "America/New_York" }), true);
    expect(moved.exitCode).toBe(EXIT_CODES.disruptive);
    expect(moved.needsReview[0].impact).toContain("recurrence 0 22 * * * → 0 20 * * *: the group's size changes at other times on the production group");
    expect(moved.needsReview[0].impact).toContain("time_zone Europe/Berlin → America/New_York");
    expect(review(existingSchedule({ end_time: "2030-01-01T00:00:00Z" }), false).verdict).toBe("benign");
  });

  it("deleting a schedule needs approval in production and is stated elsewhere", () => {
    const deleted = review(existingSchedule(null), true);
    expect(deleted.needsReview[0]).toMatchObject({ type: "aws_autoscaling_schedule", kind: "delete" });
    expect(deleted.needsReview[0].impact).toBe(
      'the schedule "0 22 * * *" (Europe/Berlin) (max 2, desired 2) no longer runs: whatever it set up (more capacity for a peak, or a smaller fleet) stops happening on the production group',
    );
    expect(review(existingSchedule(null), false).verdict).toBe("benign");
  });

  it("fails closed on an attribute it does not know", () => {
    const r = review(existingSchedule({ some_new_attribute: "x" }), false);
    expect(r.needsReview[0].impact).toContain("not classified: review by hand");
  });
});

/** The recorded no-change plan with its CPU policy updated (`after`) or deleted (`null`). */
function policyPlan(after: ((before: Values) => Values) | null): PlanJson {
  const plan = recorded("no-changes");
  const rc = plan.resource_changes!.find((r) => r.type === "aws_autoscaling_policy")!;
  const before = rc.change.before as Values;
  Object.assign(rc.change, { actions: after === null ? ["delete"] : ["update"], after: after === null ? null : { ...before, ...after(before) }, after_unknown: {} });
  return plan;
}

const tracking = (before: Values, change: Values, metric: Values = {}): Values => {
  const config = (before.target_tracking_configuration as Values[])[0];
  const predefined = (config.predefined_metric_specification as Values[])[0];
  return { target_tracking_configuration: [{ ...config, ...change, predefined_metric_specification: [{ ...predefined, ...metric }] }] };
};

const LABEL = "app/sample-app-local/0123456789abcdef/targetgroup/tg-1/0123456789abcdef";

describe("scaling policies", () => {
  it("a new target value is stated and benign", () => {
    const r = review(policyPlan((b) => tracking(b, { target_value: 70 })), true);
    expect(r.verdict).toBe("benign");
    expect(r.benign[0].impact).toBe("target 50 → 70 (ASGAverageCPUUtilization): the group holds fewer instances for the same load");
  });

  it("another metric, or requests counted on another target group, needs approval", () => {
    const metric = review(policyPlan((b) => tracking(b, {}, { predefined_metric_type: "ALBRequestCountPerTarget", resource_label: LABEL })), false);
    expect(metric.exitCode).toBe(EXIT_CODES.disruptive);
    expect(metric.needsReview[0].impact).toBe("the policy tracks another metric: ASGAverageCPUUtilization → ALBRequestCountPerTarget");
    expect(metric.needsReview[0].role).toBe("request-count scaling policy");
    const requests = (label: string) => (b: Values) => tracking(b, {}, { predefined_metric_type: "ALBRequestCountPerTarget", resource_label: label });
    const plan = policyPlan(requests(`${LABEL}-other`));
    const rc = plan.resource_changes!.find((r) => r.type === "aws_autoscaling_policy")!;
    Object.assign(rc.change, { before: { ...(rc.change.before as Values), ...requests(LABEL)(rc.change.before as Values) } });
    const label = review(plan, false);
    expect(label.needsReview[0].impact).toBe(`the policy counts requests of another load balancer / target group: ${LABEL} → ${LABEL}-other`);
  });

  it("scale-in switched off needs approval in production only", () => {
    expect(review(policyPlan((b) => tracking(b, { disable_scale_in: true })), true).needsReview[0].impact).toContain("scale-in off on the production group");
    expect(review(policyPlan((b) => tracking(b, { disable_scale_in: true })), false).verdict).toBe("benign");
  });

  it("deleting a scaling policy needs approval, naming the production group", () => {
    const r = review(policyPlan(null), true);
    expect(r.needsReview[0]).toMatchObject({ type: "aws_autoscaling_policy", kind: "delete" });
    expect(r.needsReview[0].impact).toBe("the production group no longer scales on sample-app-local-cpu-target-tracking: under load it stays at its current size");
    expect(review(policyPlan(null), false).exitCode).toBe(EXIT_CODES.disruptive);
  });

  it("target tracking known only after apply needs approval", () => {
    const plan = policyPlan((b) => tracking(b, { target_value: 70 }));
    Object.assign(plan.resource_changes!.find((r) => r.type === "aws_autoscaling_policy")!.change, { after_unknown: { target_tracking_configuration: true } });
    expect(finding(plan, "aws_autoscaling_policy").class).toBe("needs-review");
  });
});
