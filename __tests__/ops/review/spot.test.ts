/**
 * The review of groups with a mixed instances policy: an image change still rolls through
 * instance refresh, and a move to more Spot is stated (needs approval in production). The plans
 * are the recorded image-change plan of sample-app-local (scripts/record-plan-fixtures.mjs) with
 * the group's launch template moved inside a mixed instances policy, as the construct writes it.
 */
import * as fs from "fs";
import * as path from "path";
import { classifyChanges } from "../../../ops/review/classify";
import { PlanJson } from "../../../ops/review/plan";
import { EXIT_CODES, buildReport, renderMarkdown } from "../../../ops/review/report";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "plans");
const STACK = "sample-app-local";

interface Distribution {
  on_demand_base_capacity?: number;
  on_demand_percentage_above_base_capacity?: number;
  spot_allocation_strategy?: string;
}

/** A group's mixed_instances_policy as the provider's plan writes it; the template as the group's launch_template had it. */
function policy(template: Record<string, unknown>, distribution: Distribution | undefined, types = ["t3.small", "t3a.small"]) {
  return [
    {
      instances_distribution: distribution
        ? [{ on_demand_allocation_strategy: "prioritized", spot_allocation_strategy: "price-capacity-optimized", spot_instance_pools: 0, spot_max_price: "", ...distribution }]
        : [],
      launch_template: [
        {
          launch_template_specification: [{ launch_template_id: template.id, launch_template_name: template.name, version: template.version }],
          override: types.map((instance_type) => ({ instance_type, weighted_capacity: "", instance_requirements: [], launch_template_specification: [] })),
        },
      ],
    },
  ];
}

/**
 * image-change.json with the group on a mixed instances policy before and after (`undefined`:
 * no policy, the launch template on the group as recorded). `imageChange: false` keeps the
 * template's version (only the distribution changes).
 */
function mixedPlan(before: Distribution | undefined, after: Distribution | undefined, { imageChange = true } = {}): PlanJson {
  const recorded: PlanJson = JSON.parse(fs.readFileSync(path.join(FIXTURES, "image-change.json"), "utf8"));
  const changes = recorded.resource_changes!.map((rc) => {
    if (rc.type !== "aws_autoscaling_group") return rc;
    const change = JSON.parse(JSON.stringify(rc.change));
    const template = change.before.launch_template[0];
    if (before !== undefined) {
      change.before.mixed_instances_policy = policy(template, before);
      change.before.launch_template = [];
    }
    if (after !== undefined) {
      change.after.mixed_instances_policy = policy(imageChange ? { id: template.id, name: template.name } : template, after);
      change.after.launch_template = [];
      change.after_unknown.launch_template = [];
      change.after_unknown.mixed_instances_policy = imageChange
        ? [{ instances_distribution: [{}], launch_template: [{ launch_template_specification: [{ version: true }], override: [{}, {}] }] }]
        : [];
    }
    return { ...rc, change };
  });
  const templateKept = imageChange ? changes : changes.filter((rc) => rc.type !== "aws_launch_template");
  return { ...recorded, resource_changes: templateKept };
}

const ON_DEMAND: Distribution = { on_demand_base_capacity: 1, on_demand_percentage_above_base_capacity: 100 };
const HALF_SPOT: Distribution = { on_demand_base_capacity: 1, on_demand_percentage_above_base_capacity: 50 };

function review(plan: PlanJson, production?: boolean) {
  return buildReport(plan, { stack: STACK, environment: "local", production });
}

describe("groups with a mixed instances policy", () => {
  it("a new image is still a rolling update (0 to add, 2 to change): the template version inside the policy changes and the group refreshes", () => {
    const r = review(mixedPlan(HALF_SPOT, HALF_SPOT), false);
    expect(r).toMatchObject({ verdict: "rolling update", exitCode: EXIT_CODES.ok, counts: { add: 0, change: 2, destroy: 0, replace: 0 }, disruptive: [], needsReview: [] });
    const group = r.rollingUpdate.find((f) => f.type === "aws_autoscaling_group")!;
    expect(group.changedAttributes).toContain("mixed_instances_policy");
    expect(group.impact).toBe("the group moves to the new launch template: instance refresh replaces the running instances in batches behind the ALB");
    expect(r.rollingUpdate.find((f) => f.type === "aws_launch_template")!.impact).toMatch(/the group's instance refresh rolls it out/);
    expect(r.rollouts).toHaveLength(1);
  });

  it("the same Spot share in production rolls too, and the report says the production fleet runs Spot (SPOT-IN-PRODUCTION)", () => {
    const r = review(mixedPlan(HALF_SPOT, HALF_SPOT), true);
    expect(r).toMatchObject({ verdict: "rolling update", exitCode: EXIT_CODES.ok });
    const flag = r.flags.find((f) => f.id === "SPOT-IN-PRODUCTION")!;
    expect(flag).toMatchObject({ severity: "warning", address: "aws_autoscaling_group.auto-scaling-group_asg_A11B9578" });
    expect(flag.message).toBe(
      "the group runs 50 % of its capacity above an On-Demand base of 1 on Spot (price-capacity-optimized; t3.small, t3a.small) in this production environment: allowed, and those instances can be reclaimed at two minutes' notice.",
    );
    expect(renderMarkdown(r)).toContain("- **warning** `SPOT-IN-PRODUCTION` (`aws_autoscaling_group.auto-scaling-group_asg_A11B9578`): the group runs 50 % of its capacity");
    // Not production, or all On-Demand: no flag.
    expect(review(mixedPlan(HALF_SPOT, HALF_SPOT), false).flags.map((f) => f.id)).not.toContain("SPOT-IN-PRODUCTION");
    expect(review(mixedPlan(ON_DEMAND, ON_DEMAND), true).flags.map((f) => f.id)).not.toContain("SPOT-IN-PRODUCTION");
  });

  it("more Spot in production needs approval, with a line saying how much moves to Spot", () => {
    const r = review(mixedPlan(ON_DEMAND, HALF_SPOT), true);
    expect(r).toMatchObject({ verdict: "needs approval", exitCode: EXIT_CODES.disruptive });
    const group = r.needsReview.find((f) => f.type === "aws_autoscaling_group")!;
    expect(group.impact).toBe(
      "more of the production fleet runs on Spot: all On-Demand → 50 % on Spot above an On-Demand base of 1 (strategy price-capacity-optimized); Spot instances are reclaimed at two minutes' notice, and the refresh launches the new mix. Approve the Spot share explicitly",
    );
  });

  it("more Spot in production by a lower base, or by moving from a launch template to Spot, needs approval too", () => {
    const lowerBase = review(mixedPlan(HALF_SPOT, { ...HALF_SPOT, on_demand_base_capacity: 0 }, { imageChange: false }), true);
    expect(lowerBase.needsReview.map((f) => f.type)).toEqual(["aws_autoscaling_group"]);
    expect(lowerBase.needsReview[0].impact).toContain("50 % on Spot above an On-Demand base of 1 → 50 % on Spot above an On-Demand base of 0");
    const fromTemplate = review(mixedPlan(undefined, HALF_SPOT), true);
    expect(fromTemplate.needsReview[0].changedAttributes).toEqual(expect.arrayContaining(["launch_template", "mixed_instances_policy"]));
    expect(fromTemplate.needsReview[0].impact).toMatch(/^more of the production fleet runs on Spot: all On-Demand → 50 % on Spot/);
  });

  it("more Spot outside production is a stated rolling update", () => {
    const r = review(mixedPlan(ON_DEMAND, HALF_SPOT), false);
    expect(r).toMatchObject({ verdict: "rolling update", exitCode: EXIT_CODES.ok });
    expect(r.rollingUpdate.find((f) => f.type === "aws_autoscaling_group")!.impact).toContain(
      "; more of the fleet runs on Spot: all On-Demand → 50 % on Spot above an On-Demand base of 1 (strategy price-capacity-optimized)",
    );
  });

  it("fails closed when the caller does not say whether the environment is production: more Spot needs approval", () => {
    const r = review(mixedPlan(ON_DEMAND, HALF_SPOT));
    expect(r.verdict).toBe("needs approval");
    expect(r.needsReview[0].impact).toContain("whether this environment is production is not known to this review");
    expect(classifyChanges(mixedPlan(ON_DEMAND, HALF_SPOT)).find((f) => f.type === "aws_autoscaling_group")!.class).toBe("needs-review");
  });

  it("less Spot, or leaving the policy, is a rolling update in production", () => {
    expect(review(mixedPlan(HALF_SPOT, ON_DEMAND), true).verdict).toBe("rolling update");
    const leaving = review(mixedPlan(HALF_SPOT, undefined), true);
    expect(leaving.verdict).toBe("rolling update");
  });

  it("an On-Demand share known only after apply is counted as more Spot", () => {
    const plan = mixedPlan(ON_DEMAND, HALF_SPOT);
    const group = plan.resource_changes!.find((rc) => rc.type === "aws_autoscaling_group")!;
    delete (group.change.after!.mixed_instances_policy as Array<{ instances_distribution: Distribution[] }>)[0].instances_distribution[0].on_demand_percentage_above_base_capacity;
    (group.change.after_unknown!.mixed_instances_policy as Array<{ instances_distribution: Record<string, boolean>[] }>)[0].instances_distribution[0].on_demand_percentage_above_base_capacity = true;
    const r = review(plan, true);
    expect(r.needsReview[0].impact).toContain("a share known after apply on Spot");
    expect(r.flags.find((f) => f.id === "SPOT-IN-PRODUCTION")!.message).toContain("runs a share known only after apply of its capacity");
  });
});
