/**
 * The review of warm pools, lifecycle hooks and instance maintenance policies. The plans are
 * the recorded image-change plan of sample-app-local (scripts/record-plan-fixtures.mjs) with
 * the group's warm_pool / instance_maintenance_policy set as the provider's plan writes them,
 * and aws_autoscaling_lifecycle_hook changes as the construct writes the terminating hook.
 */
import * as fs from "fs";
import * as path from "path";
import { classifyChanges } from "../../../ops/review/classify";
import { estimateRollout } from "../../../ops/review/estimate";
import { PlanAction, PlanJson, ResourceChange } from "../../../ops/review/plan";
import { buildReport, renderMarkdown } from "../../../ops/review/report";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "plans");
const GROUP = "aws_autoscaling_group.auto-scaling-group_asg_A11B9578";
const HOOK = "aws_autoscaling_lifecycle_hook.auto-scaling-group_terminating-hook_5E2B4C1A";

type Values = Record<string, unknown>;

function recorded(): PlanJson {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, "image-change.json"), "utf8"));
}

const POOL = (state: string, minSize = 1) => [{ pool_state: state, min_size: minSize, max_group_prepared_capacity: -1, instance_reuse_policy: [{ reuse_on_scale_in: false }] }];
const MAINTENANCE = (min: number, max = 200) => [{ min_healthy_percentage: min, max_healthy_percentage: max }];

function hook(actions: PlanAction[], before: Values | null, after: Values | null): ResourceChange {
  return { address: HOOK, mode: "managed", type: "aws_autoscaling_lifecycle_hook", name: "auto-scaling-group_terminating-hook_5E2B4C1A", change: { actions, before, after } } as ResourceChange;
}

const TERMINATING = {
  name: "sample-app-local-terminating",
  autoscaling_group_name: "sample-app-local",
  lifecycle_transition: "autoscaling:EC2_INSTANCE_TERMINATING",
  heartbeat_timeout: 45,
  default_result: "CONTINUE",
  notification_metadata: "",
  notification_target_arn: "",
  role_arn: "",
};

/** The image change with the group's before/after values amended (both the same unless `after` says otherwise). */
function imageChange(both: Values, after: Values = {}, extra: ResourceChange[] = []): PlanJson {
  const plan = recorded();
  return {
    ...plan,
    resource_changes: [
      ...plan.resource_changes!.map((rc) => {
        if (rc.type !== "aws_autoscaling_group") return rc;
        const change = JSON.parse(JSON.stringify(rc.change));
        Object.assign(change.before, both);
        Object.assign(change.after, both, after);
        return { ...rc, change };
      }),
      ...extra,
    ],
  };
}

/** Only the group's attributes change (no new image): before + `both`, after + `both` + `after`. */
function groupOnly(both: Values, after: Values, extra: ResourceChange[] = []): PlanJson {
  const plan = recorded();
  return {
    ...plan,
    resource_changes: [
      ...plan
        .resource_changes!.filter((rc) => rc.type !== "aws_launch_template")
        .map((rc) => {
          if (rc.type !== "aws_autoscaling_group") return rc;
          const before = { ...JSON.parse(JSON.stringify(rc.change.before)), ...both };
          return { ...rc, change: { actions: ["update" as const], before, after: { ...before, ...after }, after_unknown: {} } };
        }),
      ...extra,
    ],
  };
}

const hooksOnly = (extra: ResourceChange[]): PlanJson => {
  const plan = recorded();
  return { ...plan, resource_changes: [...plan.resource_changes!.filter((rc) => rc.change.actions.join() === "no-op"), ...extra] };
};

const report = (plan: PlanJson, production?: boolean) => buildReport(plan, { stack: "sample-app-local", environment: "local", production });
const finding = (plan: PlanJson, address: string, production?: boolean) => {
  const r = report(plan, production);
  return [...r.disruptive, ...r.needsReview, ...r.rollingUpdate, ...r.benign].find((f) => f.address === address)!;
};

describe("a new image on a group with a warm pool and a terminating hook", () => {
  const plan = imageChange({ warm_pool: POOL("Stopped"), instance_maintenance_policy: MAINTENANCE(100) }, {}, [hook(["no-op"], TERMINATING, TERMINATING)]);

  it("is still a rolling update: the warm pool and the maintenance policy are unchanged", () => {
    const r = report(plan, true);
    expect(r).toMatchObject({ verdict: "rolling update", disruptive: [], needsReview: [] });
    expect(r.rollouts).toHaveLength(1);
  });

  it("estimates the hook's hold in every batch and the pool's replacement after the group's, saying no replacement comes from the pool", () => {
    const [rollout] = report(plan, true).rollouts;
    // N = 2, 100 % / 200 %: 1 batch of 2; pool = max(1, max 4 − 2) = 2 instances, ceil(2 / 2) = 1 boot.
    expect(rollout.settings).toMatchObject({ terminatingHookSeconds: 45, warmPool: { minSize: 1, maxPreparedCapacity: -1, maxSize: 4, state: "Stopped" } });
    expect(rollout.estimate).toMatchObject({ perBatchSeconds: { drain: 30, hold: 45 }, warmPoolInstances: 2, warmPoolSeconds: 60, totalSeconds: 60 + 60 + 30 + 45 + 60 });
    expect(rollout.estimate.formula).toBe(
      "1 batch of up to 2 (N = 2, min 100 %, max 200 %) × (boot 60 s + max(healthy 10 s × 2, warmup 60 s) + drain 30 s + terminating hook 45 s) + warm pool 1 × boot 60 s = 255 s"
    );
    const markdown = renderMarkdown(report(plan, true));
    expect(markdown).toContain("- Terminating hook: each old instance is held 45 s");
    expect(markdown).toContain("- Warm pool (Stopped, 2 instances): its instances run the launch template being replaced, so none of the group's replacements comes from it and each one boots");
  });
});

describe("instance_maintenance_policy", () => {
  it("the stack's first policy (100 / 200) is benign", () => {
    expect(finding(groupOnly({}, { instance_maintenance_policy: MAINTENANCE(100) }), GROUP, true)).toMatchObject({
      class: "benign",
      impact: "maintenance policy 100 % / 200 % healthy: replacements outside a refresh keep the refresh's bounds",
    });
  });

  it("a lower min healthy needs approval in production and when production is not known, and is stated elsewhere", () => {
    const plan = groupOnly({ instance_maintenance_policy: MAINTENANCE(100) }, { instance_maintenance_policy: MAINTENANCE(90) });
    expect(finding(plan, GROUP, true)).toMatchObject({
      class: "needs-review",
      impact: "maintenance policy min healthy 100 % → 90 %: health replacements may run with fewer instances in service in production",
    });
    expect(classifyChanges(plan).find((f) => f.address === GROUP)!.class).toBe("needs-review");
    expect(finding(plan, GROUP, false)).toMatchObject({ class: "benign" });
  });

  it("min healthy 0 % in production is disruptive; removing the policy in production needs approval", () => {
    expect(finding(groupOnly({ instance_maintenance_policy: MAINTENANCE(100) }, { instance_maintenance_policy: MAINTENANCE(0, 100) }), GROUP, true).class).toBe("disruptive");
    const removed = finding(groupOnly({ instance_maintenance_policy: MAINTENANCE(100) }, { instance_maintenance_policy: [] }), GROUP, true);
    expect(removed).toMatchObject({ class: "needs-review" });
    expect(removed.impact).toMatch(/^the instance maintenance policy is removed/);
  });
});

describe("warm_pool", () => {
  it("a new warm pool is benign and says what it bills", () => {
    const f = finding(groupOnly({}, { warm_pool: POOL("Stopped") }), GROUP, true);
    expect(f.class).toBe("benign");
    expect(f.impact).toBe(
      "a warm pool (Stopped, min 1, max prepared the group's max, reuse on scale-in false): instances are launched and booted ahead of need; its volumes (and Running instances) are billed"
    );
  });

  it("removing it, or changing its state, needs approval; a new size is benign", () => {
    expect(finding(groupOnly({ warm_pool: POOL("Stopped") }, { warm_pool: [] }), GROUP, false).class).toBe("needs-review");
    expect(finding(groupOnly({ warm_pool: POOL("Stopped") }, { warm_pool: POOL("Running") }), GROUP, false)).toMatchObject({
      class: "needs-review",
      impact: expect.stringMatching(/^warm pool state Stopped → Running/),
    });
    expect(finding(groupOnly({ warm_pool: POOL("Stopped") }, { warm_pool: POOL("Stopped", 2) }), GROUP, true).class).toBe("benign");
  });
});

describe("initial_lifecycle_hook", () => {
  it("a change replaces the group (the provider's ForceNew): disruptive", () => {
    const plan = groupOnly({}, { initial_lifecycle_hook: [{ name: "sample-app-local-launching", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeat_timeout: 300 }] });
    const group = plan.resource_changes!.find((rc) => rc.type === "aws_autoscaling_group")!;
    (group.change as { actions: PlanAction[] }).actions = ["delete", "create"];
    expect(finding(plan, GROUP, false).class).toBe("disruptive");
  });
});

describe("aws_autoscaling_lifecycle_hook", () => {
  it("a new terminating hook is benign", () => {
    expect(finding(hooksOnly([hook(["create"], null, TERMINATING)]), HOOK, true)).toMatchObject({ class: "benign", role: "terminating lifecycle hook" });
  });

  it("a new launching hook that abandons needs approval", () => {
    const launching = { ...TERMINATING, name: "x-launching", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING", default_result: "ABANDON" };
    expect(finding(hooksOnly([hook(["create"], null, launching)]), HOOK, false)).toMatchObject({ class: "needs-review", impact: expect.stringContaining("no instance gets in service") });
  });

  it("removing the terminating hook needs approval in production and when production is not known, and is stated elsewhere", () => {
    const plan = hooksOnly([hook(["delete"], TERMINATING, null)]);
    expect(finding(plan, HOOK, true)).toMatchObject({ class: "needs-review", impact: expect.stringMatching(/^the terminating hook is removed: .* in production$/) });
    expect(classifyChanges(plan).find((f) => f.address === HOOK)!.class).toBe("needs-review");
    expect(finding(plan, HOOK, false).class).toBe("benign");
  });

  it("a shorter terminating hold needs approval in production; a longer one is benign", () => {
    expect(finding(hooksOnly([hook(["update"], TERMINATING, { ...TERMINATING, heartbeat_timeout: 30 })]), HOOK, true)).toMatchObject({
      class: "needs-review",
      impact: "terminating instances are held 30 s instead of 45 s: less time to drain in production",
    });
    expect(finding(hooksOnly([hook(["update"], TERMINATING, { ...TERMINATING, heartbeat_timeout: 90 })]), HOOK, true).class).toBe("benign");
  });

  it("fails closed on an attribute it has no rule for", () => {
    const f = finding(hooksOnly([hook(["update"], TERMINATING, { ...TERMINATING, some_new_attribute: "x" })]), HOOK, false);
    expect(f).toMatchObject({ class: "needs-review", impact: expect.stringContaining("not classified: review by hand (some_new_attribute of a terminating lifecycle hook changes") });
  });
});

describe("estimateRollout with a warm pool and a terminating hook", () => {
  const LOCAL = {
    instances: 4,
    minHealthyPercentage: 100,
    maxHealthyPercentage: 150,
    instanceWarmupSeconds: 60,
    healthCheckGracePeriodSeconds: 120,
    healthCheckIntervalSeconds: 10,
    healthyThreshold: 2,
    deregistrationDelaySeconds: 30,
  };

  it("N=4, 100 % / 150 %: 2 batches of 2, each + hook 45 s; pool max prepared 10 − 4 = 6 replaced in ceil(6 / 2) = 3 boots", () => {
    const e = estimateRollout({ ...LOCAL, terminatingHookSeconds: 45, warmPool: { minSize: 0, maxPreparedCapacity: 10, maxSize: 10 } });
    expect(e).toMatchObject({ batches: 2, batchSize: 2, warmPoolInstances: 6, warmPoolSeconds: 180, totalSeconds: 2 * (60 + 60 + 30 + 45) + 180 });
  });

  it("the pool holds at least its min size, even when the desired capacity fills the max prepared capacity", () => {
    expect(estimateRollout({ ...LOCAL, warmPool: { minSize: 0, maxPreparedCapacity: 4, maxSize: 10 } }).warmPoolInstances).toBe(0);
    expect(estimateRollout({ ...LOCAL, warmPool: { minSize: 3, maxPreparedCapacity: 4, maxSize: 10 } }).warmPoolInstances).toBe(3);
    // Unset (-1): the group's max size less the desired capacity.
    expect(estimateRollout({ ...LOCAL, warmPool: { minSize: 0, maxPreparedCapacity: -1, maxSize: 6 } }).warmPoolInstances).toBe(2);
  });

  it("without a pool or a hook nothing is added", () => {
    const e = estimateRollout(LOCAL);
    expect(e).toMatchObject({ warmPoolInstances: 0, warmPoolSeconds: 0, perBatchSeconds: { hold: 0 } });
    expect(e.formula).not.toMatch(/hook|warm pool/);
  });

  it("refuses a negative pool size", () => {
    expect(() => estimateRollout({ ...LOCAL, warmPool: { minSize: -1, maxSize: 4 } })).toThrow("rollout estimate: warmPool.minSize must be a number >= 0, got -1");
  });
});
