/**
 * The review's classifier and report on plans recorded by running OpenTofu and the AWS
 * provider against the emulator (scripts/record-plan-fixtures.mjs): a deployed
 * sample-app-local, then one change each. Not written by hand.
 */
import * as fs from "fs";
import * as path from "path";
import { classifyChanges } from "../../../ops/review/classify";
import { PlanJson } from "../../../ops/review/plan";
import { EXIT_CODES, ReviewReport, buildReport, renderMarkdown } from "../../../ops/review/report";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "plans");
const STACK = "sample-app-local";

function plan(name: string): PlanJson {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
}

function report(name: string | PlanJson): ReviewReport {
  return buildReport(typeof name === "string" ? plan(name) : name, { stack: STACK, environment: "local" });
}

/** `type:kind` of each finding of a class, sorted, for comparisons that ignore addresses. */
function kinds(findings: ReviewReport["disruptive"]): string[] {
  return findings.map((f) => `${f.type}:${f.kind}`).sort();
}

/**
 * The same plan with every resource given a different construct id (as after a refactor):
 * the classification must not change, because it is keyed by types and roles.
 */
function withRenamedResources(original: PlanJson): PlanJson {
  let text = JSON.stringify(original);
  const names = new Set((original.resource_changes ?? []).map((rc) => `${rc.type}.${rc.name}`));
  [...names].forEach((address, i) => {
    const [type] = address.split(".");
    text = text.split(address).join(`${type}.renamed_${i}`);
  });
  return JSON.parse(text);
}

describe("the recorded fixtures", () => {
  it("are OpenTofu plans of sample-app-local", () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));
    expect(files.sort()).toEqual(
      ["alb-rename", "capacity-change", "destroy", "image-change", "initial", "instance-sg-rename", "no-changes", "scaling-policy", "scheduled-scale-in", "target-group-port"].map((n) => `${n}.json`),
    );
    for (const file of files) {
      const json = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
      expect({ file, format: json.format_version.split(".")[0], engine: typeof json.terraform_version }).toEqual({ file, format: "1", engine: "string" });
    }
  });
});

describe("classification of recorded plans", () => {
  it("a new image is a rolling update: the template gets a new version and the group refreshes, with an estimate", () => {
    const r = report("image-change");
    expect(r).toMatchObject({ verdict: "rolling update", exitCode: EXIT_CODES.ok, counts: { add: 0, change: 2, destroy: 0, replace: 0 }, disruptive: [], benign: [] });
    expect(kinds(r.rollingUpdate)).toEqual(["aws_autoscaling_group:update", "aws_launch_template:update"]);
    expect(r.rollingUpdate.find((f) => f.type === "aws_launch_template")!.changedAttributes).toContain("image_id");
    expect(r.rollouts).toHaveLength(1);
    // local: desired 2, 100 % / 200 %, instance warmup 60 s, health check 10 s × 2, deregistration delay 30 s.
    expect(r.rollouts[0]).toMatchObject({
      autoRollback: true,
      skipMatching: false,
      settings: { instances: 2, minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmupSeconds: 60, healthCheckIntervalSeconds: 10, healthyThreshold: 2, deregistrationDelaySeconds: 30 },
      estimate: { batches: 1, batchSize: 2, totalSeconds: 150 },
    });
  });

  it("renaming the ALB is disruptive: the ALB is replaced because of its name, and its listener with it", () => {
    const r = report("alb-rename");
    expect(r).toMatchObject({ verdict: "disruptive", exitCode: EXIT_CODES.disruptive });
    const alb = r.disruptive.find((f) => f.type === "aws_lb")!;
    expect(alb).toMatchObject({ kind: "replace", role: "load balancer", name: { before: STACK, after: `${STACK}-v2` }, forcedBy: ["name"] });
    expect(alb.impact).toMatch(/DNS name changes/);
    expect(kinds(r.disruptive)).toEqual(["aws_lb:replace", "aws_lb_listener:replace"]);
    expect(r.rollouts).toEqual([]);
    // The rollout alarms follow the new ALB (their LoadBalancer dimension), in place.
    expect(r.benign.map((f) => `${f.type}:${f.kind}:${f.changedAttributes.join(",")}`)).toEqual([
      "aws_cloudwatch_metric_alarm:update:dimensions",
      "aws_cloudwatch_metric_alarm:update:dimensions",
    ]);
  });

  it("a capacity-only change rolls nothing", () => {
    const r = report("capacity-change");
    expect(r).toMatchObject({ verdict: "benign", exitCode: EXIT_CODES.ok, disruptive: [], rollingUpdate: [], rollouts: [], counts: { change: 1 } });
    expect(r.benign).toEqual([expect.objectContaining({ type: "aws_autoscaling_group", kind: "update", changedAttributes: ["max_size"] })]);
  });

  it("replacing the instances' security group is disruptive, and the new template rolls", () => {
    const r = report("instance-sg-rename");
    expect(r.verdict).toBe("disruptive");
    const group = r.disruptive.find((f) => f.type === "aws_security_group")!;
    // The group is named from a prefix (names.useNamePrefix): the new name is generated.
    expect(group).toMatchObject({ kind: "replace", role: "instances' security group", forcedBy: ["name_prefix"], name: { after: "(known after apply)" } });
    expect(kinds(r.rollingUpdate)).toEqual(expect.arrayContaining(["aws_launch_template:update"]));
  });

  it("replacing the target group is disruptive", () => {
    const r = report("target-group-port");
    expect(r.verdict).toBe("disruptive");
    expect(r.disruptive.find((f) => f.type === "aws_lb_target_group")).toMatchObject({ kind: "replace", role: "target group", forcedBy: ["port"] });
  });

  it("a scaling policy change is benign", () => {
    const r = report("scaling-policy");
    expect(r).toMatchObject({ verdict: "benign", exitCode: EXIT_CODES.ok, disruptive: [], rollingUpdate: [] });
    expect(kinds(r.benign)).toEqual(["aws_autoscaling_policy:update"]);
  });

  it("the first deployment creates everything and disrupts nothing", () => {
    const r = report("initial");
    expect(r).toMatchObject({ verdict: "benign", exitCode: EXIT_CODES.ok, disruptive: [], rollingUpdate: [], rollouts: [] });
    expect(r.counts.add).toBeGreaterThan(20);
    expect(r.benign.every((f) => f.kind === "create")).toBe(true);
  });

  it("no changes", () => {
    expect(report("no-changes")).toMatchObject({ verdict: "no changes", exitCode: EXIT_CODES.ok, counts: { add: 0, change: 0, destroy: 0, replace: 0 } });
  });

  it("destroying the stack is disruptive and names the ALB, the group and the VPC", () => {
    const r = report("destroy");
    expect(r.verdict).toBe("disruptive");
    expect(r.counts.add).toBe(0);
    expect(r.counts.destroy).toBe(report("initial").counts.add);
    expect(kinds(r.disruptive)).toEqual(expect.arrayContaining(["aws_lb:delete", "aws_autoscaling_group:delete", "aws_vpc:delete", "aws_lb_target_group:delete"]));
  });

  it.each(["image-change", "alb-rename", "capacity-change", "instance-sg-rename", "target-group-port", "destroy"])(
    "%s classifies the same after every construct is renamed (types and roles, not addresses)",
    (name) => {
      const strip = (r: ReviewReport) => ({
        verdict: r.verdict,
        disruptive: r.disruptive.map((f) => `${f.type}:${f.kind}:${f.role}`).sort(),
        rolling: r.rollingUpdate.map((f) => `${f.type}:${f.kind}:${f.role}`).sort(),
        benign: r.benign.map((f) => `${f.type}:${f.kind}:${f.role}`).sort(),
        estimate: r.rollouts.map((x) => x.estimate.totalSeconds),
      });
      expect(strip(report(withRenamedResources(plan(name))))).toEqual(strip(report(name)));
    },
  );
});

describe("the report", () => {
  it("renders Markdown with a marker for updating the PR comment, the verdict, counts and the named ALB", () => {
    const markdown = renderMarkdown(report("alb-rename"));
    expect(markdown.split("\n")[0]).toBe(`<!-- sample-app-review:${STACK} -->`);
    expect(markdown).toContain("🛑 **Disruptive**");
    expect(markdown).toMatch(/\*\*\d+ to add, \d+ to change, \d+ to destroy\*\* \(\d+ replaced\)/);
    expect(markdown).toMatch(/\| replace \| `aws_lb\.[^`]+` \| load balancer \| `sample-app-local` → `sample-app-local-v2` \| `name` \| the ALB's DNS name changes/);
  });

  it("renders the rollout estimate with its formula", () => {
    const markdown = renderMarkdown(report("image-change"));
    expect(markdown).toContain("**2 instances** replaced by instance refresh at min 100 % / max 200 % healthy, 1 batch of up to 2 (new instances launched before old ones are taken out); auto rollback on.");
    expect(markdown).toContain("Estimated duration: **2 min 30 s**: 1 batch of up to 2 (N = 2, min 100 %, max 200 %) × (boot 60 s + max(healthy 10 s × 2, warmup 60 s) + drain 30 s) = 150 s");
  });

  it("gives equal plans equal fingerprints and different plans different ones", () => {
    expect(report("capacity-change").planFingerprint).toBe(report(plan("capacity-change")).planFingerprint);
    expect(report("capacity-change").planFingerprint).not.toBe(report("image-change").planFingerprint);
    expect(report("capacity-change").planFingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("adds flags from extra checks; a disruptive flag needs approval (exit 3) and is shown under the verdict", () => {
    const flagged = buildReport(plan("image-change"), {
      stack: STACK,
      environment: "local",
      checks: [() => [{ id: "TEST-FLAG", severity: "disruptive", message: "a check said so" }]],
    });
    expect(flagged).toMatchObject({ verdict: "needs approval", exitCode: EXIT_CODES.disruptive });
    expect(flagged.flags.filter((f) => f.id !== "DRIFT")).toEqual([{ id: "TEST-FLAG", severity: "disruptive", message: "a check said so" }]);
    expect(renderMarkdown(flagged)).toContain("> [!CAUTION]\n> **`TEST-FLAG`**: a check said so");
    // A disruptive change stays the verdict when a flag comes with it.
    const both = buildReport(plan("alb-rename"), { stack: STACK, environment: "local", checks: [() => [{ id: "TEST-FLAG", severity: "disruptive", message: "a check said so" }]] });
    expect(both).toMatchObject({ verdict: "disruptive", exitCode: EXIT_CODES.disruptive });
    // Warnings and notes do not change the verdict; they are listed under Flags.
    const noted = buildReport(plan("image-change"), { stack: STACK, environment: "local", checks: [() => [{ id: "TEST-NOTE", severity: "warning", message: "worth knowing" }]] });
    expect(noted).toMatchObject({ verdict: "rolling update", exitCode: EXIT_CODES.ok });
    expect(renderMarkdown(noted)).toContain("#### Flags\n\n- **warning** `TEST-NOTE`: worth knowing\n- **info** `DRIFT`: read back differently from the last state;");
  });

  it("rejects what is not a plan, or a plan that errored", () => {
    expect(() => buildReport({ resource_changes: [] }, { stack: STACK, environment: "local" })).toThrow(/not a plan/);
    expect(() => buildReport({ format_version: "2.0" }, { stack: STACK, environment: "local" })).toThrow(/format_version 2.0 is not supported/);
    expect(() => buildReport({ ...plan("no-changes"), errored: true }, { stack: STACK, environment: "local" })).toThrow(/errored/);
  });

  it("rejects an action combination it does not know instead of guessing", () => {
    const odd = plan("capacity-change");
    const changes = odd.resource_changes!.map((rc) => (rc.type === "aws_autoscaling_group" ? { ...rc, change: { ...rc.change, actions: ["update", "delete"] as never } } : rc));
    expect(() => classifyChanges({ ...odd, resource_changes: changes })).toThrow(/unknown plan action combination: \[update, delete\]/);
  });
});
