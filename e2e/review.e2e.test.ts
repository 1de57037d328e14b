/**
 * `npm run review -- local` against the emulator, as a pull request would run it, after
 * sample-app-local has been deployed: a new image is a rolling update (exit 0, with an
 * estimate), renaming the ALB is disruptive (exit 3, the ALB named), a capacity change rolls
 * nothing; bad input (unknown environment, missing toolchain, no credentials, emulator down)
 * gives a clear error, exit 1 and no report to post.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REVIEW_MARKER } from "../ops/review/out-dir";
import { PRICES } from "../ops/review/cost";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { applyScenario } = require("./plan-scenarios");

const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";
const STACK = "sample-app-local";

interface Report {
  verdict: string;
  exitCode: number;
  counts: { add: number; change: number; destroy: number; replace: number };
  disruptive: Array<{ address: string; type: string; role: string; kind: string; name?: { before?: string; after?: string }; forcedBy: string[]; impact: string }>;
  rollingUpdate: Array<{ type: string; kind: string }>;
  benign: Array<{ type: string; kind: string; changedAttributes: string[] }>;
  rollouts: Array<{ estimate: { instances: number; batches: number; batchSize: number; peakInstances: number; totalSeconds: number } }>;
  planFingerprint: string;
  flags: Array<{ id: string; severity: string; message: string }>;
  cost: { table: { date: string }; region: string; before: { low: number; high: number }; after: { low: number; high: number }; raise: number; overThreshold: boolean; items: Array<{ address: string; kind: string; after: { high: number } | null }> };
}

describe("npm run review against the emulator", () => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let work: string;
  let outdir: string;
  let reviewDir: string;
  let stackDir: string;

  const review = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "review", ...args], {
      cwd: harness.ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        CDKTF_OUTDIR: outdir,
        SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint,
        TERRAFORM_BINARY_NAME: toolchain.tofu,
        TF_CLI_CONFIG_FILE: toolchain.cliConfig,
        CI: "true",
        ...extraEnv,
      },
    });
    // The ownership marker (ops/review/out-dir.ts) stays once the directory is review's; the
    // assertions below are about the reports, so it is listed apart.
    const listing = fs.existsSync(reviewDir) ? fs.readdirSync(reviewDir).sort() : [];
    const files = listing.filter((name) => name !== REVIEW_MARKER);
    const owned = listing.includes(REVIEW_MARKER);
    const report = files.includes(`${STACK}.json`) ? (JSON.parse(fs.readFileSync(path.join(reviewDir, `${STACK}.json`), "utf8")) as Report) : undefined;
    const markdown = files.includes(`${STACK}.md`) ? fs.readFileSync(path.join(reviewDir, `${STACK}.md`), "utf8") : "";
    return { ...result, files, owned, report, markdown };
  };
  const synth = (imageId = FIRST_IMAGE) => {
    stackDir = harness.synthLocal(outdir, { endpoint: emulator.endpoint, imageId });
  };

  beforeAll(async () => {
    harness.buildApp();
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-review-emulator.log") });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-review-"));
    outdir = path.join(work, "cdktf.out");
    reviewDir = path.join(outdir, "review");
    synth(FIRST_IMAGE);
    harness.tofu(toolchain, ["init", "-input=false"], stackDir);
    harness.tofu(toolchain, ["apply", "-input=false", "-auto-approve"], stackDir);
  });

  afterAll(async () => {
    await emulator?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("reports a new image as a rolling update with an estimate from the stack's settings, exit 0", () => {
    const result = review(["local"], { SAMPLE_APP_IMAGE_ID_LOCAL: SECOND_IMAGE });
    expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.files).toEqual([`${STACK}.json`, `${STACK}.md`, `${STACK}.tfplan`]);
    expect(result.owned).toBe(true);
    const report = result.report!;
    expect(report).toMatchObject({ verdict: "rolling update", exitCode: 0, counts: { add: 0, change: 2, destroy: 0, replace: 0 }, disruptive: [] });
    expect(report.rollingUpdate.map((f) => `${f.type}:${f.kind}`).sort()).toEqual(["aws_autoscaling_group:update", "aws_launch_template:update"]);
    // local: 2 instances at 100 % / 200 % -> one batch, launched first (peak 4); boot 60 s (default),
    // max(health check 10 s × 2, warmup 60 s), drain 30 s.
    expect(report.rollouts).toEqual([expect.objectContaining({ estimate: expect.objectContaining({ instances: 2, batches: 1, batchSize: 2, peakInstances: 4, totalSeconds: 150 }) })]);
    expect(result.markdown).toContain("**Rolling update**");
    expect(result.markdown).toContain("Estimated duration: **2 min 30 s**");
    // sample-app-local's lock file is committed: no PROVIDER-LOCK warning.
    expect(report.flags.filter((f) => f.id === "PROVIDER-LOCK")).toEqual([]);
    expect(result.stdout).toBe(result.markdown);
    // Progress in CI is plain lines, no terminal control codes.
    expect(result.stderr).toContain("==> planning sample-app-local");
    expect(result.stderr).not.toContain("\x1b[");
  });

  it("reports renaming the ALB as disruptive, names it and the forcing attribute, exit 3", () => {
    synth(FIRST_IMAGE);
    applyScenario(stackDir, "alb-rename");
    const result = review(["local", "--no-synth"]);
    expect({ status: result.status, stderr: result.status === 3 ? "" : result.stderr }).toEqual({ status: 3, stderr: "" });
    const report = result.report!;
    expect(report.verdict).toBe("disruptive");
    expect(report.exitCode).toBe(3);
    const alb = report.disruptive.find((f) => f.type === "aws_lb");
    expect(alb).toMatchObject({ kind: "replace", role: "load balancer", name: { before: STACK, after: `${STACK}-v2` }, forcedBy: ["name"] });
    expect(alb!.impact).toContain("DNS name changes");
    expect(result.markdown).toContain("**Disruptive**");
    expect(result.markdown).toContain(`\`${STACK}\` → \`${STACK}-v2\``);
  });

  it("reports a capacity-only change as benign: nothing rolls, exit 0", () => {
    synth(FIRST_IMAGE);
    applyScenario(stackDir, "capacity-change");
    const result = review(["local", "--no-synth"]);
    expect({ status: result.status, stderr: result.status === 0 ? "" : result.stderr }).toEqual({ status: 0, stderr: "" });
    const report = result.report!;
    expect(report).toMatchObject({ verdict: "benign", exitCode: 0, disruptive: [], rollingUpdate: [], rollouts: [], counts: { add: 0, change: 1, destroy: 0, replace: 0 } });
    expect(report.benign).toEqual([expect.objectContaining({ type: "aws_autoscaling_group", kind: "update", changedAttributes: ["max_size"] })]);
    expect(result.markdown).toContain("**Benign**");
    expect(result.markdown).not.toContain("Rolling update");
    // The cost section, from the dated price table: max_size is no raise (the figure counts the desired capacity).
    expect(report.cost).toMatchObject({ table: { date: PRICES.date }, region: "us-east-1", raise: 0, overThreshold: false });
    expect(report.cost.items.map((i) => i.kind).sort()).toEqual(["instances", "load balancer", "nat gateway"]);
    expect(result.markdown).toContain(`List prices of **${PRICES.date}** (\`ops/review/prices.json\``);
    expect(result.markdown).toMatch(/\| `aws_autoscaling_group\.[^`]+` \(instances\) \| \$15\.18 \| \$15\.18 \| 2 × t3\.micro, On-Demand/);
  });

  it("a capacity raise past the cost threshold needs approval (COST, exit 3) naming the old and new monthly figure; a higher --cost-threshold lets it pass", () => {
    synth(FIRST_IMAGE);
    applyScenario(stackDir, "capacity-raise");
    const result = review(["local", "--no-synth"]);
    expect({ status: result.status, stderr: result.status === 3 ? "" : result.stderr }).toEqual({ status: 3, stderr: "" });
    const report = result.report!;
    expect(report.verdict).toBe("needs approval");
    // min_size 2 -> 4 on the real plan: Auto Scaling raises the desired capacity to 4 instances (the rows, each rounded to the cent, add up to the total: $30.37 + $37.35 + $16.43).
    expect(report.flags.filter((f) => f.id === "COST")).toEqual([
      { id: "COST", severity: "disruptive", message: "the monthly list price rises from $68.96 a month to $84.15 a month (+22 %), more than the 20 % threshold (--cost-threshold). Approve the cost explicitly." },
    ]);
    expect(result.markdown).toContain("> **`COST`**: the monthly list price rises from $68.96 a month to $84.15 a month");
    expect(result.markdown).toContain(`List prices of **${PRICES.date}**`);
    const planFile = path.join(work, "capacity-raise.plan.json");
    fs.writeFileSync(planFile, harness.tofu(toolchain, ["show", "-json", path.join(reviewDir, `${STACK}.tfplan`)], stackDir).stdout);
    const allowed = review(["local", "--plan", planFile, "--cost-threshold", "25"]);
    expect({ status: allowed.status, stderr: allowed.status === 0 ? "" : allowed.stderr }).toEqual({ status: 0, stderr: "" });
    expect(allowed.report!.flags.map((f) => f.id)).not.toContain("COST");
    expect(allowed.report!.cost).toMatchObject({ raise: 0.22, overThreshold: false });
  });

  // Outages the classifier used to call benign (issue 17), planned by the real tofu and provider:
  // each needs approval, and the saved plan reviewed again with --plan says the same.
  it.each([
    ["health-check-path", "disruptive", /health check moves \(path \/health → \/healthz\)/],
    ["listener-fixed-503", "disruptive", /fixed|503/],
    ["deregistration-delay-0", "needs approval", /deregistration/],
  ])("reports %s as %s (exit 3), and --plan on the saved plan agrees", (scenario, verdict, words) => {
    synth(FIRST_IMAGE);
    applyScenario(stackDir, scenario);
    const result = review(["local", "--no-synth"]);
    expect({ status: result.status, stderr: result.status === 3 ? "" : result.stderr }).toEqual({ status: 3, stderr: "" });
    const report = result.report!;
    expect(report.verdict).toBe(verdict);
    expect(JSON.stringify(report)).toMatch(words);
    const planFile = path.join(work, `${scenario}.plan.json`);
    fs.writeFileSync(planFile, harness.tofu(toolchain, ["show", "-json", path.join(reviewDir, `${STACK}.tfplan`)], stackDir).stdout);
    const again = review(["local", "--plan", planFile]);
    expect({ status: again.status, stderr: again.status === 3 ? "" : again.stderr }).toEqual({ status: 3, stderr: "" });
    expect(again.report).toMatchObject({ verdict, planFingerprint: report.planFingerprint });
  });

  it("refuses a plan that differs from the reviewed one (--expect-fingerprint)", () => {
    // The capacity change, reviewed again: the outage scenarios above left the stack elsewhere.
    synth(FIRST_IMAGE);
    applyScenario(stackDir, "capacity-change");
    expect(review(["local", "--no-synth"]).status).toBe(0);
    const reviewed = path.join(work, "reviewed.json");
    fs.copyFileSync(path.join(reviewDir, `${STACK}.json`), reviewed);
    const same = review(["local", "--no-synth", "--expect-fingerprint", reviewed]);
    expect(same.status).toBe(0);
    const other = review(["local", "--expect-fingerprint", reviewed], { SAMPLE_APP_IMAGE_ID_LOCAL: SECOND_IMAGE });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain("the plan differs from the reviewed one");
    expect(other.files).toEqual([]);
  });

  describe("bad input: a clear error, exit 1 (2 for bad usage), no report", () => {
    it("an unknown environment: bad usage, exit 2", () => {
      const result = review(["qa"]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('review: unknown environment "qa"; known environments: dev, stage, prod, local');
      expect(result.files).toEqual([]);
    });

    it("a missing toolchain", () => {
      const result = review(["local"], { TERRAFORM_BINARY_NAME: path.join(work, "no-such-tofu") });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("missing toolchain");
      expect(result.stderr).toContain("No report was written.");
      expect(result.files).toEqual([]);
    });

    it("a plan that fails for lack of AWS credentials", () => {
      // dev against real AWS, with the provider this machine has and no credential source
      // at all: no keys, no profile files, no instance metadata, no network.
      const none = path.join(work, "no-aws-config");
      const result = review(["dev"], {
        SAMPLE_APP_EMULATOR_ENDPOINT: undefined,
        SAMPLE_APP_AWS_PROVIDER_VERSION: harness.VERSIONS.awsProvider.version,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_CONFIG_FILE: none,
        AWS_SHARED_CREDENTIALS_FILE: none,
        AWS_EC2_METADATA_DISABLED: "true",
        HTTPS_PROXY: "http://127.0.0.1:9",
        HTTP_PROXY: "http://127.0.0.1:9",
        NO_PROXY: "127.0.0.1,localhost",
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/review: tofu plan failed for sample-app-dev:\n\s+Error: No valid credential sources found/);
      expect(result.stderr).toContain("No report was written.");
      expect(result.files).toEqual([]);
    });

    it("a plan that fails because the emulator is down", () => {
      // One attempt per call: the provider would otherwise retry for about two minutes.
      const result = review(["local"], { SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:9", AWS_MAX_ATTEMPTS: "1" });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/review: .*plan failed for sample-app-local:\n\s+Error:/);
      expect(result.stderr).toContain("No report was written.");
      expect(result.files).toEqual([]);
    });
  });
});
