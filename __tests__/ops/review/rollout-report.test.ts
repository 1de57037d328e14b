/**
 * The rollout part of the report, from the recorded image-change plan
 * (__tests__/fixtures/plans/image-change.json, recorded by tofu against the emulator) with the
 * smallest edit for each case: the estimate is for the capacity after the change, settings
 * that take the service down or that AWS rejects need approval, boot time has a default.
 */
import * as fs from "fs";
import * as path from "path";
import { PlanJson, ResourceChange } from "../../../ops/review/plan";
import { EXIT_CODES, buildReport, renderMarkdown, rolloutSettings } from "../../../ops/review/report";

const FIXTURE = path.join(__dirname, "..", "..", "fixtures", "plans", "image-change.json");
type Mutable = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The image-change plan, its group's change edited by `edit`. */
function imageChange(edit: (change: Mutable) => void = () => undefined): PlanJson {
  const plan = JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
  edit(plan.resource_changes.find((rc: ResourceChange) => rc.type === "aws_autoscaling_group").change);
  return plan;
}

const groupOf = (plan: PlanJson) => plan.resource_changes!.find((rc) => rc.type === "aws_autoscaling_group")!;
const preferences = (change: Mutable) => change.after.instance_refresh[0].preferences[0];

describe("the rollout is estimated for the capacity after the change", () => {
  it("as recorded: desired 2 before and after, so N = 2 and no 'now' note", () => {
    const plan = imageChange();
    expect(rolloutSettings(plan, groupOf(plan)).settings).toMatchObject({ instances: 2 });
    expect(rolloutSettings(plan, groupOf(plan)).settings).not.toHaveProperty("instancesBefore");
  });

  it("desired 2 → 4 in the same plan: N = 4 (2 now), batch and peak from 4: 1 batch of 4, peak 8", () => {
    const plan = imageChange((c) => (c.after.desired_capacity = 4));
    const rollout = rolloutSettings(plan, groupOf(plan));
    expect(rollout.settings).toMatchObject({ instances: 4, instancesBefore: 2 });
    expect(rollout.estimate).toMatchObject({ instances: 4, batchSize: 4, batches: 1, peakInstances: 8 });
  });

  it("desired unknown after the change: the state's 2", () => {
    const plan = imageChange((c) => {
      c.after.desired_capacity = null;
      c.after_unknown.desired_capacity = true;
    });
    expect(rolloutSettings(plan, groupOf(plan)).settings.instances).toBe(2);
  });

  it("clamped by the group's bounds after the change: min_size 3 raises 2 to 3; max_size 1 lowers it to 1", () => {
    const raised = imageChange((c) => (c.after.min_size = 3));
    expect(rolloutSettings(raised, groupOf(raised)).settings).toMatchObject({ instances: 3, instancesBefore: 2 });
    const lowered = imageChange((c) => {
      c.after.min_size = 1;
      c.after.max_size = 1;
    });
    expect(rolloutSettings(lowered, groupOf(lowered)).settings).toMatchObject({ instances: 1, instancesBefore: 2 });
  });

  it("no desired capacity after the change nor in state: refused, naming the attribute", () => {
    const plan = imageChange((c) => {
      c.before.desired_capacity = null;
      c.after.desired_capacity = null;
    });
    expect(() => rolloutSettings(plan, groupOf(plan))).toThrow("the plan has no usable aws_autoscaling_group.auto-scaling-group_asg_A11B9578 desired_capacity (neither after the change nor in state)");
  });

  it("without refresh percentages, the group's instance maintenance policy (100 % / 110 %) applies", () => {
    const plan = imageChange((c) => {
      preferences(c).min_healthy_percentage = null;
      preferences(c).max_healthy_percentage = null;
      c.after.instance_maintenance_policy = [{ min_healthy_percentage: 100, max_healthy_percentage: 110 }];
    });
    expect(rolloutSettings(plan, groupOf(plan)).settings).toMatchObject({ minHealthyPercentage: 100, maxHealthyPercentage: 110 });
  });
});

describe("boot time", () => {
  it("defaults to 60 s and says so; --boot-seconds 90 replaces it (150 s → 180 s)", () => {
    const byDefault = buildReport(imageChange(), { stack: "sample-app-local", environment: "local" });
    expect(byDefault.rollouts[0].estimate).toMatchObject({ bootSource: "default", totalSeconds: 150 });
    expect(renderMarkdown(byDefault)).toContain("boot 60 s is the default assumption for launch until the app answers: pass --boot-seconds N with your measured time");
    const given = buildReport(imageChange(), { stack: "sample-app-local", environment: "local", bootSeconds: 90 });
    expect(given.rollouts[0].estimate).toMatchObject({ bootSource: "--boot-seconds", totalSeconds: 180 });
    expect(renderMarkdown(given)).toContain("= 180 s (warmup from `instance_warmup`, counted once with the health checks; boot from --boot-seconds).");
  });

  it("states the peak and the fewest in service: 2 instances at 100 % / 200 % run 4 at once", () => {
    expect(renderMarkdown(buildReport(imageChange(), { stack: "sample-app-local", environment: "local" }))).toContain(
      "- Capacity during the refresh: at least **2 in service**, at most **4 instances running** at once (2 more than after the change, billed while the refresh runs).",
    );
  });
});

describe("settings that take the service down or that AWS rejects need approval (exit 3)", () => {
  it("an image change at min healthy 0 % / max 100 % is an outage, not 'no downtime expected'", () => {
    const plan = imageChange((c) => {
      preferences(c).min_healthy_percentage = 0;
      preferences(c).max_healthy_percentage = 100;
    });
    const report = buildReport(plan, { stack: "sample-app-local", environment: "local" });
    expect(report.exitCode).toBe(EXIT_CODES.disruptive);
    expect(report.verdict).not.toBe("rolling update");
    const message =
      "instance refresh outage: min healthy 0 %: Auto Scaling may take all 2 instances out of service at once; the service answers nothing until new instances are ready (about 120 s per batch).";
    expect(report.flags).toContainEqual({ id: "ROLLOUT", severity: "disruptive", address: "aws_autoscaling_group.auto-scaling-group_asg_A11B9578", message });
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(`> **\`ROLLOUT\`** (\`aws_autoscaling_group.auto-scaling-group_asg_A11B9578\`): ${message}`);
    expect(markdown).toContain("- 🛑 **Outage**: min healthy 0 %");
    expect(markdown).toContain("at least **0 in service**");
  });

  it("min healthy 50 % with max 200 % (150 apart) is rejected by AWS: exit 3 with the reason", () => {
    const plan = imageChange((c) => (preferences(c).min_healthy_percentage = 50));
    const report = buildReport(plan, { stack: "sample-app-local", environment: "local" });
    expect(report.exitCode).toBe(EXIT_CODES.disruptive);
    expect(report.flags.filter((f) => f.id === "ROLLOUT")).toEqual([
      {
        id: "ROLLOUT",
        severity: "disruptive",
        address: "aws_autoscaling_group.auto-scaling-group_asg_A11B9578",
        message:
          "AWS rejects min healthy 50 % with max healthy 200 %: the two may be at most 100 points apart. The apply updates the launch template and the group, then fails to start the instance refresh, so the running instances keep the old configuration.",
      },
    ]);
  });

  it("a capacity dip (N=4 at 90 % / 120 %: down to 3) is a warning flag, not an approval", () => {
    const plan = imageChange((c) => {
      c.after.desired_capacity = 4;
      preferences(c).min_healthy_percentage = 90;
      preferences(c).max_healthy_percentage = 120;
    });
    const report = buildReport(plan, { stack: "sample-app-local", environment: "local" });
    expect(report.flags.filter((f) => f.id === "ROLLOUT").map((f) => f.severity)).toEqual(["warning"]);
    expect(report.rollouts[0].estimate).toMatchObject({ instances: 4, minInService: 3 });
  });
});
