/**
 * npm run review -- --plan FILE: an existing plan (the JSON of tofu show -json PLAN) is
 * reviewed with no synth and no engine (TERRAFORM_BINARY_NAME points nowhere), with the
 * same report and exit codes; anything that is not a readable plan of the named stack
 * exits 1 with a clear message and leaves no report behind.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..", "..");
const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "plans");
const STACK = "sample-app-local";

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));

describe("npm run review -- --plan FILE", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "review-plan-file-"));
  const out = path.join(work, "out");
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    // scripts/ops.mjs bundles ops/review/main.ts into dist/review.js.
    expect(spawnSync(process.execPath, [path.join(ROOT, "scripts", "ops.mjs"), "review", "--help"], { cwd: ROOT, encoding: "utf8" }).status).toBe(0);
  });
  beforeEach(() => fs.rmSync(out, { recursive: true, force: true }));

  const write = (name: string, content: unknown) => {
    const file = path.join(work, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };
  const run = (args: string[], input?: string) => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "dist", "review.js"), ...args, "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      input,
      env: {
        ...process.env,
        CI: "1",
        // No engine: --plan must not need one.
        TERRAFORM_BINARY_NAME: path.join(work, "no-such-tofu"),
        // The instance-refresh history check cannot reach anything: a warning, not a failure.
        SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:9",
        AWS_MAX_ATTEMPTS: "1",
      },
    });
    const files = fs.existsSync(out) ? fs.readdirSync(out).sort() : [];
    const report = files.includes(`${STACK}.json`) ? JSON.parse(fs.readFileSync(path.join(out, `${STACK}.json`), "utf8")) : undefined;
    return { ...result, files, report };
  };

  /** A plan of the state bootstrap: the recorded plan's provider with the bootstrap's default tags, and its resources. */
  const bootstrapPlan = (changes: Array<{ type: string; name: string; actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> | null }>) => {
    const plan = fixture("no-changes");
    plan.configuration.provider_config.aws.expressions.default_tags = [{ tags: { constant_value: { Project: "sample-app", Component: "state", ManagedBy: "cdktf" } } }];
    plan.configuration.root_module = { resources: [] };
    plan.resource_drift = [];
    plan.resource_changes = changes.map((c) => ({
      address: `${c.type}.${c.name}`,
      mode: "managed",
      type: c.type,
      name: c.name,
      provider_name: "registry.opentofu.org/hashicorp/aws",
      change: { actions: c.actions, before: c.before, after: c.after, after_unknown: {} },
    }));
    return plan;
  };
  const STATE_BUCKET = { bucket: "sample-app-tfstate-123456789012-us-east-1", force_destroy: false };
  const VERSIONING = { bucket: STATE_BUCKET.bucket, versioning_configuration: [{ status: "Enabled", mfa_delete: "" }] };

  describe("the state bootstrap (sample-app-bootstrap)", () => {
    const runBootstrap = (args: string[]) => {
      const result = run(args);
      const file = path.join(out, "sample-app-bootstrap.json");
      return { ...result, report: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined };
    };

    it("is recognised from its default tags: an unchanged bootstrap is no changes, exit 0", () => {
      const plan = bootstrapPlan([
        { type: "aws_s3_bucket", name: "state", actions: ["no-op"], before: STATE_BUCKET, after: STATE_BUCKET },
        { type: "aws_s3_bucket_versioning", name: "versioning", actions: ["no-op"], before: VERSIONING, after: VERSIONING },
      ]);
      const result = runBootstrap(["--plan", write("bootstrap-unchanged.json", plan)]);
      expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
      expect(result.report).toMatchObject({ stack: "sample-app-bootstrap", verdict: "no changes", exitCode: 0 });
    });

    it("versioning suspended on the state bucket needs approval: exit 3", () => {
      const plan = bootstrapPlan([
        { type: "aws_s3_bucket_versioning", name: "versioning", actions: ["update"], before: VERSIONING, after: { ...VERSIONING, versioning_configuration: [{ status: "Suspended", mfa_delete: "" }] } },
      ]);
      const result = runBootstrap(["bootstrap", "--plan", write("bootstrap-versioning.json", plan)]);
      expect(result.status).toBe(3);
      expect(result.report).toMatchObject({ verdict: "needs approval", exitCode: 3 });
      expect(result.report.needsReview[0]).toMatchObject({ role: "versioning of the state bucket", impact: expect.stringContaining("versioning Suspended") });
    });

    it("deleting the state bucket or the lock table is disruptive: exit 3, naming what is lost", () => {
      const plan = bootstrapPlan([
        { type: "aws_s3_bucket", name: "state", actions: ["delete"], before: STATE_BUCKET, after: null },
        { type: "aws_dynamodb_table", name: "lock", actions: ["delete"], before: { name: "sample-app-tflock", hash_key: "LockID" }, after: null },
      ]);
      const result = runBootstrap(["--plan", write("bootstrap-delete.json", plan)]);
      expect(result.status).toBe(3);
      expect(result.report.verdict).toBe("disruptive");
      expect(result.report.disruptive.map((f: { role: string; impact: string }) => `${f.role}: ${f.impact}`)).toEqual([
        "state bucket: the state bucket sample-app-tfstate-123456789012-us-east-1 is deleted (the apply fails if it still holds objects): every environment's state is lost: tofu no longer knows what it manages",
        "state lock table: state locking stops: concurrent applies can corrupt state",
      ]);
    });

    it("a bootstrap plan reviewed as an environment is refused, naming both: exit 1", () => {
      const plan = bootstrapPlan([{ type: "aws_s3_bucket", name: "state", actions: ["no-op"], before: STATE_BUCKET, after: STATE_BUCKET }]);
      const result = runBootstrap(["local", "--plan", write("bootstrap-as-local.json", plan)]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("the plan is for sample-app-bootstrap (the state bootstrap), not sample-app-local as asked");
      expect(result.report).toBeUndefined();
    });

    it("an environment's plan reviewed as the bootstrap is refused: exit 1", () => {
      const result = runBootstrap(["bootstrap", "--plan", path.join(FIXTURES, "image-change.json")]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("the plan is for sample-app-local, not sample-app-bootstrap as asked");
    });
  });

  it("reviews a recorded rolling update without tofu: exit 0, report .md and .json, no .tfplan", () => {
    const result = run(["local", "--plan", path.join(FIXTURES, "image-change.json")]);
    expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.files).toEqual([`${STACK}.json`, `${STACK}.md`]);
    expect(result.report).toMatchObject({ verdict: "rolling update", exitCode: 0, stack: STACK });
    expect(result.stdout).toContain("🔄 **Rolling update**");
  });

  it("--boot-seconds reaches the rollout estimate: 90 s gives 90 + 60 + 30 = 180 s; without it the 60 s default gives 150 s", () => {
    const given = run(["local", "--plan", path.join(FIXTURES, "image-change.json"), "--boot-seconds", "90"]);
    expect(given.status).toBe(0);
    expect(given.report.rollouts[0].estimate).toMatchObject({ bootSource: "--boot-seconds", totalSeconds: 180, peakInstances: 4 });
    expect(given.stderr).toContain("review: sample-app-local: rolling update, estimated rollout 3 min (exit 0)");
    const byDefault = run(["local", "--plan", path.join(FIXTURES, "image-change.json")]);
    expect(byDefault.report.rollouts[0].estimate).toMatchObject({ bootSource: "default", totalSeconds: 150 });
  });

  it("reads the environment from the plan when none is named, and a disruptive plan exits 3", () => {
    const result = run(["--plan", path.join(FIXTURES, "alb-rename.json")]);
    expect(result.status).toBe(3);
    expect(result.report).toMatchObject({ verdict: "disruptive", exitCode: 3, environment: "local" });
  });

  it("reads the plan from standard input with -", () => {
    const result = run(["local", "--plan", "-"], fs.readFileSync(path.join(FIXTURES, "capacity-change.json"), "utf8"));
    expect(result.status).toBe(0);
    expect(result.report).toMatchObject({ verdict: "benign" });
    expect(result.stderr).toContain("(of the plan on standard input)");
  });

  it("a plan whose only content is drift (the listener deleted outside tofu) needs approval and never says no changes: exit 3", () => {
    const plan = fixture("no-changes");
    const listener = plan.resource_changes.find((rc: { type: string }) => rc.type === "aws_lb_listener");
    plan.resource_drift = [{ ...listener, change: { ...listener.change, actions: ["delete"], after: null } }];
    const result = run(["local", "--plan", write("drift.json", plan)]);
    expect(result.status).toBe(3);
    expect(result.report.verdict).toBe("needs approval");
    expect(result.report.flags).toContainEqual(
      expect.objectContaining({
        id: "DRIFT",
        severity: "disruptive",
        message: `${listener.address} was deleted outside tofu; this plan creates it again. Find out who deleted it and why before approving.`,
      }),
    );
    expect(result.stdout).not.toContain("No changes");
  });

  describe("what is not a plan of the named stack: exit 1, a clear message, no report", () => {
    const noChanges = () => fixture("no-changes");
    it.each([
      ["a state file", () => ({ format_version: "1.0", terraform_version: "1.10.10", values: { root_module: {} } }), "not a plan: this is a state"],
      ["empty JSON", () => ({}), "not a plan: expected the JSON of `tofu show -json <planfile>` (no format_version)"],
      ["a JSON list", () => [], "not a plan: expected the JSON object of `tofu show -json <planfile>`"],
      ["no resource_changes", () => ({ ...noChanges(), resource_changes: undefined }), "it has no resource_changes list"],
      ["errored: true", () => ({ ...noChanges(), errored: true }), "the plan is marked as errored"],
      ["another format_version major", () => ({ ...noChanges(), format_version: "2.0" }), "plan format_version 2.0 is not supported (expected 1.x)"],
      ["invalid JSON", () => "{ not json", "not valid JSON"],
      ["an empty file", () => "", "it is empty; expected the JSON of tofu show -json PLAN"],
    ])("%s", (what, content, message) => {
      // An older report of the stack must not survive to be posted.
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, `${STACK}.md`), "old report");
      const file = write(`${what.replace(/\W+/g, "-")}.json`, content());
      const result = run(["local", "--plan", file]);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("No report was written.");
      expect(result.status).toBe(1);
      expect(result.files).toEqual([]);
    });

    it("a plan for a different stack than asked", () => {
      const result = run(["dev", "--plan", path.join(FIXTURES, "image-change.json")]);
      expect(result.stderr).toContain("the plan is for sample-app-local, not sample-app-dev as asked");
      expect(result.status).toBe(1);
      expect(result.files).toEqual([]);
    });

    it("a plan of no known stack (no Environment default tag)", () => {
      const plan = noChanges();
      delete plan.configuration.provider_config.aws.expressions.default_tags;
      const result = run(["--plan", write("untagged.json", plan)]);
      expect(result.stderr).toContain("cannot tell which stack this plan is for (its AWS provider has no default tag Environment)");
      expect(result.status).toBe(1);
    });

    it("a missing file", () => {
      const result = run(["local", "--plan", path.join(work, "missing.json")]);
      expect(result.stderr).toContain("cannot read it (no such file)");
      expect(result.status).toBe(1);
      expect(result.files).toEqual([]);
    });

    it.each([
      [["local", "--plan"], "--plan needs a value"],
      [["local", "--plan", "x.json", "--no-synth"], "--no-synth cannot be used with --plan"],
      [["local", "--plan", "x.json", "--strict"], "--strict cannot be used with --plan"],
    ])("usage %j exits 2 (bad usage), never 3 (needs approval)", (args, message) => {
      const result = run(args);
      expect(result.stderr).toContain(message);
      expect(result.status).toBe(2);
    });
  });
});
