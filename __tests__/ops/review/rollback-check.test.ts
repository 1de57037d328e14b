/**
 * ROLLED-BACK-IMAGE on output recorded by running OpenTofu, the AWS provider and the
 * emulator (scripts/record-rollback-fixtures.mjs), not written by hand:
 *   provider-order/  image 2 applied (the provider moves the group to version 2 first,
 *                    #34189), rolled back by an alarm; the plans a user meets next
 *   true-rollback/   the group back on version 1 after a rollback; the plan moves it to 2
 *   fixed/           image 1 rolled out again successfully; then a plan with image 2 again
 */
import * as fs from "fs";
import * as path from "path";
import { GroupDescribeOutput, groupHistoryFrom, imageBefore } from "../../../ops/rollout/rollback-history";
import { PlanJson } from "../../../ops/review/plan";
import { EXIT_CODES, buildReport, renderMarkdown } from "../../../ops/review/report";
import { ROLLED_BACK_IMAGE, rolledBackImageCheck } from "../../../ops/review/rollback-check";
import { existingGroups, rolloutHistoryChecks } from "../../../ops/review/rollout-history";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "rollback");
const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";
const GROUP = "sample-app-local";
const ASG = "aws_autoscaling_group.auto-scaling-group_asg_A11B9578";

const read = <T>(file: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")) as T;
const aws = (scenario: string) => read<GroupDescribeOutput>(`${scenario}/aws.json`);
const plan = (scenario: string, name: string) => read<PlanJson>(`${scenario}/${name}.plan.json`);
const refreshes = (scenario: string) => aws(scenario).describeInstanceRefreshes.InstanceRefreshes!;

function review(scenario: string, planName: string, history = groupHistoryFrom(GROUP, aws(scenario)), planJson = plan(scenario, planName)) {
  return buildReport(planJson, { stack: GROUP, environment: "local", checks: [rolledBackImageCheck([history], "local")] });
}

describe("the history of the group's instance refreshes", () => {
  it("after the provider's order of calls: image 2 rolled back, the group still on version 2, image 1 to set", () => {
    const history = groupHistoryFrom(GROUP, aws("provider-order"));
    const [rolledBack] = refreshes("provider-order");
    expect(rolledBack.Status).toBe("RollbackSuccessful");
    expect(history.rolledBack).toEqual([
      expect.objectContaining({ imageId: SECOND_IMAGE, refreshId: rolledBack.InstanceRefreshId, status: "RollbackSuccessful", version: "2", reason: expect.stringContaining("sample-app-local-target-5xx") }),
    ]);
    expect(history.group).toMatchObject({ version: "2", imageId: SECOND_IMAGE });
    expect(history.instancesByVersion).toEqual({ "1": 2 });
    expect(history.previous).toEqual({ imageId: FIRST_IMAGE, source: expect.stringMatching(/^launch template lt-\w+ version 1$/) });
  });

  it("after a true rollback: the group back on version 1 (image 1), image 2 rolled back", () => {
    const history = groupHistoryFrom(GROUP, aws("true-rollback"));
    expect(refreshes("true-rollback").map((r) => r.Status)).toEqual(["RollbackSuccessful", "RollbackSuccessful"]);
    expect(history.group).toMatchObject({ version: "1", imageId: FIRST_IMAGE });
    // Both refreshes rolled back image 2: one entry, the newest.
    expect(history.rolledBack).toEqual([expect.objectContaining({ imageId: SECOND_IMAGE, refreshId: refreshes("true-rollback")[0].InstanceRefreshId })]);
    expect(history.previous?.imageId).toBe(FIRST_IMAGE);
  });

  it("a later successful refresh of image 1 does not clear image 2; a successful refresh of image 2 itself does", () => {
    expect(groupHistoryFrom(GROUP, aws("fixed")).rolledBack.map((r) => r.imageId)).toEqual([SECOND_IMAGE]);
    // The same history with the newest (successful) refresh deploying version 2 instead.
    const recorded = aws("fixed");
    const [newest, ...rest] = recorded.describeInstanceRefreshes.InstanceRefreshes!;
    expect(newest.Status).toBe("Successful");
    const retried = { ...recorded, describeInstanceRefreshes: { InstanceRefreshes: [{ ...newest, DesiredConfiguration: { LaunchTemplate: { ...newest.DesiredConfiguration!.LaunchTemplate, Version: "2" } } }, ...rest] } };
    expect(groupHistoryFrom(GROUP, retried).rolledBack).toEqual([]);
  });

  it("reads only groups that exist already: the first deployment has no history to read", () => {
    expect(existingGroups(plan("provider-order", "no-changes"))).toEqual([GROUP]);
    const initial = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "plans", "initial.json"), "utf8"));
    expect(existingGroups(initial)).toEqual([]);
  });
});

describe("the image an environment ran before a version (shared by review and rollout watch)", () => {
  const versions = aws("true-rollback").describeLaunchTemplateVersions.LaunchTemplateVersions!;
  const templateId = versions[0].LaunchTemplateId!;

  it("is the newest older version of the same template, skipping the images to avoid", () => {
    expect(imageBefore(versions, templateId, "2", new Set([SECOND_IMAGE]))).toEqual({ imageId: FIRST_IMAGE, source: `launch template ${templateId} version 1` });
    // A version with a rolled-back image is passed over, even when it is the newest older one.
    const withBadRetry = [...versions, { ...versions.find((v) => v.VersionNumber === 2)!, VersionNumber: 3 }];
    expect(imageBefore(withBadRetry, templateId, "4", new Set([SECOND_IMAGE]))?.imageId).toBe(FIRST_IMAGE);
  });

  it("is nothing when the template has no older version with another image, or for another template", () => {
    expect(imageBefore(versions, templateId, "1", new Set([SECOND_IMAGE]))).toBeUndefined();
    expect(imageBefore(versions, templateId, "2", new Set([FIRST_IMAGE, SECOND_IMAGE]))).toBeUndefined();
    expect(imageBefore(versions, "lt-0another", "2", new Set([SECOND_IMAGE]))).toBeUndefined();
  });
});

describe("ROLLED-BACK-IMAGE in the review", () => {
  it("warns on the plain 'no changes' plan after an automatic rollback: the config still names the bad image, exit 3", () => {
    const report = review("provider-order", "no-changes");
    expect(report.counts).toEqual({ add: 0, change: 0, destroy: 0, replace: 0 });
    expect(report).toMatchObject({ verdict: "needs approval", exitCode: EXIT_CODES.disruptive });
    expect(report.flags).toHaveLength(1);
    const [flag] = report.flags;
    expect(flag).toMatchObject({ id: ROLLED_BACK_IMAGE, severity: "disruptive", address: ASG });
    const refreshId = refreshes("provider-order")[0].InstanceRefreshId!;
    expect(flag.message).toContain(`No instance is replaced by this plan, but the configuration still names ${SECOND_IMAGE}, the image instance refresh ${refreshId} (RollbackSuccessful`);
    expect(flag.message).toContain(`The group names launch template version 2 (${SECOND_IMAGE}); instances: 2 on version 1.`);
    expect(flag.message).toContain(`Instances the group launches (scale-out, replacing an unhealthy one) run ${SECOND_IMAGE}`);
    expect(flag.message).toContain(`Set the image to ${FIRST_IMAGE}`);
    expect(flag.message).toContain(`SAMPLE_APP_IMAGE_ID_LOCAL=${FIRST_IMAGE}`);
  });

  it("puts the flag right under the verdict, as a caution block, in the Markdown", () => {
    const markdown = renderMarkdown(review("provider-order", "no-changes"));
    expect(markdown).toContain("🛑 **Needs approval**");
    const caution = markdown.indexOf("> [!CAUTION]");
    expect(caution).toBeGreaterThan(markdown.indexOf("exit code 2"));
    expect(markdown.slice(caution)).toMatch(new RegExp(`^> \\[!CAUTION\\]\\n> \\*\\*\`ROLLED-BACK-IMAGE\`\\*\\* \\(\`${ASG.replace(/\./g, "\\.")}\`\\): No instance is replaced`, "m"));
    expect(markdown).not.toContain("#### Flags");
  });

  it("says the next launch template change rolls the bad image out to every instance", () => {
    const report = review("provider-order", "template-change");
    expect(report.rollingUpdate.map((f) => f.type).sort()).toEqual(["aws_autoscaling_group", "aws_launch_template"]);
    expect(report).toMatchObject({ verdict: "needs approval", exitCode: EXIT_CODES.disruptive });
    expect(report.flags[0].message).toMatch(new RegExp(`^This plan rolls ${SECOND_IMAGE} out again: instance refresh \\S+ \\(RollbackSuccessful`));
    expect(report.flags[0].message).toContain("the group moves from launch template version 2 to a new version, which starts an instance refresh that replaces every instance");
  });

  it("flags a capacity-only change too: the group keeps naming the bad image", () => {
    const report = review("provider-order", "capacity-change");
    expect(report.benign.map((f) => f.changedAttributes)).toEqual([["max_size"]]);
    expect(report).toMatchObject({ verdict: "needs approval", exitCode: EXIT_CODES.disruptive });
    expect(report.flags[0].message).toMatch(/^No instance is replaced by this plan/);
  });

  it("passes the plan that sets the previous image, with a note that it replaces the rolled-back one", () => {
    const report = review("provider-order", "image-fixed");
    expect(report).toMatchObject({ verdict: "rolling update", exitCode: EXIT_CODES.ok });
    expect(report.flags).toEqual([
      expect.objectContaining({ id: ROLLED_BACK_IMAGE, severity: "info", message: expect.stringContaining(`This plan replaces ${SECOND_IMAGE}, rolled back by instance refresh`) }),
    ]);
    expect(renderMarkdown(report)).toContain("#### Flags");
  });

  it("after a true rollback, the unchanged config moves the group to the bad version again", () => {
    const report = review("true-rollback", "no-config-change");
    expect(report.counts.change).toBe(1);
    expect(report).toMatchObject({ verdict: "needs approval", exitCode: EXIT_CODES.disruptive });
    expect(report.flags[0].message).toMatch(new RegExp(`^This plan rolls ${SECOND_IMAGE} out again`));
    expect(report.flags[0].message).toContain("the group moves from launch template version 1 to 2, which starts an instance refresh");
    expect(report.flags[0].message).toContain(`The group names launch template version 1 (${FIRST_IMAGE})`);
    expect(review("true-rollback", "image-fixed").exitCode).toBe(EXIT_CODES.ok);
  });

  it("once the previous image is back, nothing is flagged; putting the bad image back is", () => {
    const fixed = review("fixed", "no-changes");
    expect(fixed).toMatchObject({ verdict: "no changes", exitCode: EXIT_CODES.ok, flags: [] });
    const again = review("fixed", "bad-image-again");
    expect(again).toMatchObject({ verdict: "needs approval", exitCode: EXIT_CODES.disruptive });
    expect(again.flags[0].message).toMatch(new RegExp(`^This plan rolls ${SECOND_IMAGE} out again`));
  });

  it("cannot tell when the planned image is unknown until apply: flagged, not passed", () => {
    const planJson = plan("provider-order", "template-change");
    const template = planJson.resource_changes!.find((rc) => rc.type === "aws_launch_template")!;
    delete (template.change.after as Record<string, unknown>).image_id;
    (template.change.after_unknown as Record<string, unknown>).image_id = true;
    const report = review("provider-order", "template-change", undefined, planJson);
    expect(report.exitCode).toBe(EXIT_CODES.disruptive);
    expect(report.flags[0].message).toContain("is not known until apply");
  });

  it("ignores groups with no rollback in their history", () => {
    const history = { ...groupHistoryFrom(GROUP, aws("provider-order")), rolledBack: [] };
    expect(review("provider-order", "no-changes", history)).toMatchObject({ verdict: "no changes", exitCode: 0, flags: [] });
  });
});

describe("when the history cannot be read", () => {
  const saved = process.env.SAMPLE_APP_EMULATOR_ENDPOINT;
  afterEach(() => {
    if (saved === undefined) delete process.env.SAMPLE_APP_EMULATOR_ENDPOINT;
    else process.env.SAMPLE_APP_EMULATOR_ENDPOINT = saved;
  });

  it("the report carries a warning flag naming the group and the permissions, never a silent pass", async () => {
    process.env.SAMPLE_APP_EMULATOR_ENDPOINT = "http://127.0.0.1:9"; // nothing listens there
    const checks = await rolloutHistoryChecks(plan("provider-order", "no-changes"), "local");
    const report = buildReport(plan("provider-order", "no-changes"), { stack: GROUP, environment: "local", checks });
    expect(report).toMatchObject({ verdict: "no changes", exitCode: EXIT_CODES.ok });
    expect(report.flags).toEqual([expect.objectContaining({ id: ROLLED_BACK_IMAGE, severity: "warning" })]);
    expect(report.flags[0].message).toMatch(/^could not read the instance refreshes of sample-app-local \(.+\), so this review cannot tell/);
    expect(report.flags[0].message).toContain("autoscaling:DescribeInstanceRefreshes");
  });

  it("reads nothing for a plan that creates the group", async () => {
    const initial = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "plans", "initial.json"), "utf8"));
    expect(await rolloutHistoryChecks(initial, "local")).toEqual([]);
  });
});
