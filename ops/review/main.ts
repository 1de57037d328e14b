/**
 * npm run review -- <environment>: synthesize, plan and explain what the plan does to the
 * running fleet. Writes <out>/<stack>.md (the PR comment), <out>/<stack>.json (for
 * machines) and <out>/<stack>.tfplan (the plan to apply), prints the Markdown, and exits
 * 0 (nothing needs approval), 3 (needs approval: disruptive, needs review, or flagged e.g. ROLLED-BACK-IMAGE, COST) or 1 (no review: an error).
 * It never posts anything itself; on an error it leaves no report behind to post.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ENVIRONMENTS } from "../../config/environments";
import { PROJECT_ROOT } from "../../modules/core/project-root";
import { lockFileFlags } from "./lock-file-check";
import { providerUnavailableHint } from "./provider-hint";
import { LOCK_FILE_NAME } from "../../stacks/synth/provider-locks";
import { STRICT_VARIABLE } from "../../policy/strict";
import { stackIdFor as environmentStackId } from "../../config/stack-ids";
import { BOOTSTRAP_STACK_ID } from "../../config/stack-ids";
import { DEFAULT_BOOT_SECONDS, formatDuration } from "./estimate";
import { DEFAULT_COST_THRESHOLD_PERCENT, PRICE_REFRESH_COMMAND, PRICE_TABLE_FILE, parseCostThreshold } from "./cost";
import { assertPlanJson, planStackTags } from "./plan";
import { EXTRA_CHECKS, ReviewCheck, ReviewReport, buildReport, renderMarkdown } from "./report";
import { checkReviewOutDir, claimReviewOutDir } from "./out-dir";
import { UsageError, parseCommandLine, reportUsageError } from "../shared/args";
import { EXIT, exitCodeLines } from "../shared/exit-codes";
import { toolchainHome as defaultToolchainHome } from "../shared/toolchain-home";

class ReviewError extends Error {}

const USAGE = `Usage: npm run review -- <environment> [options]
       npm run review -- [<environment>] --plan FILE [options]

Synthesizes the environment's stack, runs tofu init / plan -out / show -json in
cdktf.out/stacks/sample-app-<environment>, and writes a report of what the plan does
to the running fleet: <out>/<stack>.md, <out>/<stack>.json, and the plan <out>/<stack>.tfplan.
The environment "bootstrap" reviews the state bootstrap (${BOOTSTRAP_STACK_ID}: the state
bucket, its key and lock table) the same way.

Options:
  --out DIR                 where the report and plan go (default: cdktf.out/review;
                            CDKTF_OUTDIR moves cdktf.out as for npm run synth)
  --no-synth                review cdktf.out as it is (synthesized before, e.g. by CI)
  --plan FILE               review an existing plan: FILE is the JSON of tofu show -json PLAN
                            (- reads standard input). No synth, no tofu: works without the
                            toolchain. The plan must be for the environment named (when one is);
                            writes <out>/<stack>.md and .json, no .tfplan
  --strict                  synthesize with the strict policy (policy warnings become errors);
                            always on for environments with production: true
  --boot-seconds N          launch until the app answers, for one instance, added per batch
                            to the rollout estimate (default: ${DEFAULT_BOOT_SECONDS}, an assumption, not a stack
                            setting: measure yours)
  --cost-threshold PERCENT  a raise of the monthly list price (instances, NAT gateways, load
                            balancers; prices from ${PRICE_TABLE_FILE}, ${PRICE_REFRESH_COMMAND})
                            above this share needs approval (default: ${DEFAULT_COST_THRESHOLD_PERCENT}; 0 to 1000)
  --expect-fingerprint F    fail (exit 1) unless the plan equals the one reviewed in report F
                            (its planFingerprint): used before applying a reviewed plan
  -h, --help                this help

${exitCodeLines([
  [EXIT.done, "nothing needs approval (benign, rolling update, no changes)"],
  [EXIT.error, "no review was made: a --plan that is not a readable plan of the named stack, missing toolchain, failed synth or plan"],
  EXIT.usage,
  [EXIT.needsApproval, "disruptive changes, changes that need review (anything not classified included), or a flag such as ROLLED-BACK-IMAGE (the plan deploys, or keeps the group on, an image an instance refresh just rolled back; see the report) or COST (the monthly list price rises above --cost-threshold, or a change to what is priced cannot be bounded)"],
])}

The rolled-back-image check reads the groups' recent instance refreshes with the same AWS
credentials as the plan (autoscaling:DescribeAutoScalingGroups, DescribeInstanceRefreshes,
ec2:DescribeLaunchTemplateVersions); when it cannot, the report carries a warning flag.

Environment: TERRAFORM_BINARY_NAME picks the engine (default: the toolchain's tofu, then
tofu on PATH). For "local", SAMPLE_APP_EMULATOR_ENDPOINT or the emulator started by npm start.`;

interface Options {
  environment: string;
  outDir: string;
  synth: boolean;
  /** --boot-seconds; undefined: the estimate's default (DEFAULT_BOOT_SECONDS). */
  bootSeconds?: number;
  expectFingerprint?: string;
  strict: boolean;
  /** --cost-threshold; undefined: DEFAULT_COST_THRESHOLD_PERCENT (cost.ts). */
  costThresholdPercent?: number;
  /** --plan: a file with the JSON of `tofu show -json PLAN`, or "-" for standard input. */
  planFile?: string;
}

/** Where synthesis writes: cdktf.out, or CDKTF_OUTDIR as for npm run synth. */
function synthOutdir(): string {
  return path.resolve(PROJECT_ROOT, process.env.CDKTF_OUTDIR ?? "cdktf.out");
}

const COMMAND_LINE = {
  options: {
    out: { type: "string" },
    "no-synth": { type: "boolean" },
    strict: { type: "boolean" },
    plan: { type: "string" },
    "boot-seconds": { type: "string" },
    "cost-threshold": { type: "string" },
    "expect-fingerprint": { type: "string" },
  },
  maxPositionals: 1,
  tooMany: (positionals: string[]) => `one environment per run; got "${positionals[0]}" and "${positionals[1]}"`,
} as const;

function parseArguments(argv: string[]): Options | "help" {
  const parsed = parseCommandLine(argv, COMMAND_LINE);
  if (parsed === "help") return "help";
  const { values } = parsed;
  const environment: string | undefined = parsed.positionals[0];
  const explicit = [...(values["no-synth"] ? ["--no-synth"] : []), ...(values.strict ? ["--strict"] : [])];
  const options: Omit<Options, "environment"> = { outDir: path.join(synthOutdir(), "review"), synth: !values["no-synth"], strict: values.strict === true };
  const outArg = values.out;
  if (values.plan !== undefined) options.planFile = values.plan === "-" ? "-" : path.resolve(values.plan);
  if (values["boot-seconds"] !== undefined) {
    const raw = values["boot-seconds"];
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > 3600) throw new UsageError(`--boot-seconds = ${JSON.stringify(raw)}: must be a whole number of seconds from 0 to 3600`);
    options.bootSeconds = n;
  }
  if (values["cost-threshold"] !== undefined) {
    try {
      options.costThresholdPercent = parseCostThreshold(values["cost-threshold"]);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (values["expect-fingerprint"] !== undefined) options.expectFingerprint = path.resolve(values["expect-fingerprint"]);
  try {
    options.outDir = checkReviewOutDir(outArg, process.cwd(), options.outDir);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const known = [...Object.keys(ENVIRONMENTS), BOOTSTRAP];
  if (options.planFile !== undefined) {
    if (explicit.length) throw new UsageError(`${explicit.join(" and ")} cannot be used with --plan: --plan reviews an existing plan, it synthesizes and plans nothing`);
    if (environment !== undefined && !known.includes(environment)) throw new UsageError(`unknown environment "${environment}"; known environments: ${known.join(", ")}`);
    // The environment is then read from the plan (review()).
    return { environment: environment ?? "", ...options, strict: false };
  }
  if (environment === undefined) throw new UsageError(`which environment? One of: ${known.join(", ")} (see --help)`);
  if (!known.includes(environment)) throw new UsageError(`unknown environment "${environment}"; known environments: ${known.join(", ")}`);
  // Production environments are always reviewed with the strict policy (policy/strict.ts).
  return { environment, ...options, strict: options.strict || ENVIRONMENTS[environment]?.production === true };
}

// ------------------------------------------------------------------------------ progress

/** A spinner with elapsed time on a terminal; plain start/end lines in CI and in logs. */
class Progress {
  private readonly live = Boolean(process.stderr.isTTY) && !process.env.CI && process.env.TERM !== "dumb";

  /** Runs `work` under `label`; `ok` tells a finished process that failed from one that succeeded. */
  async step<T>(label: string, work: () => Promise<T>, ok: (result: T) => boolean = (r) => (r as { status?: number }).status === 0): Promise<T> {
    const started = Date.now();
    const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
    let timer: NodeJS.Timeout | undefined;
    if (this.live) {
      const frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
      let frame = 0;
      const draw = () => process.stderr.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${label} (${seconds()} s)`);
      draw();
      timer = setInterval(draw, 100);
    } else {
      process.stderr.write(`==> ${label}\n`);
    }
    try {
      const result = await work();
      if (timer) clearInterval(timer);
      if (ok(result)) {
        process.stderr.write(this.live ? `\r\x1b[2K✓ ${label} (${seconds()} s)\n` : `    done in ${seconds()} s\n`);
      } else {
        process.stderr.write(this.live ? `\r\x1b[2K✗ ${label} (${seconds()} s)\n` : `    failed after ${seconds()} s\n`);
      }
      return result;
    } catch (error) {
      if (timer) clearInterval(timer);
      process.stderr.write(this.live ? `\r\x1b[2K✗ ${label} (${seconds()} s)\n` : `    failed after ${seconds()} s\n`);
      throw error;
    }
  }
}

// ------------------------------------------------------------------------------ processes

interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runAsync(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.once("error", (error) => reject(new ReviewError(`could not run ${command}: ${error.message}`)));
    child.once("close", (code) =>
      resolve({ status: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
  });
}

/** The engine's error block(s), without box drawing, for an error message. */
function engineErrors(result: RunResult): string {
  // tofu writes its diagnostics to stderr; the progress log on stdout only buries them.
  const text = /Error:/.test(result.stderr) ? result.stderr : `${result.stderr}\n${result.stdout}`;
  const lines = text.split("\n").map((line) => line.replace(/^[│╷╵]\s?/, "").trimEnd());
  const start = lines.findIndex((line) => /^Error:/.test(line.trim()));
  const picked = (start >= 0 ? lines.slice(start) : lines.slice(-20)).filter((line) => line.trim() !== "");
  return picked.slice(0, 25).map((line) => `    ${line}`).join("\n");
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, name)).find(isExecutable);
}

interface Engine {
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
}

function findEngine(): Engine {
  const toolchainHome = defaultToolchainHome();
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  const named = process.env.TERRAFORM_BINARY_NAME;
  let binary: string | undefined;
  if (named) {
    binary = named.includes("/") ? (isExecutable(named) ? named : undefined) : onPath(named);
    if (!binary) throw new ReviewError(`missing toolchain: TERRAFORM_BINARY_NAME=${named} is not an executable${named.includes("/") ? "" : " on PATH"}`);
  } else {
    binary = [path.join(toolchainHome, "bin", "tofu")].find(isExecutable) ?? onPath("tofu");
    if (!binary) {
      throw new ReviewError(
        `missing toolchain: no OpenTofu found (looked for ${path.join(toolchainHome, "bin", "tofu")} and tofu on PATH). ` +
          "Run npm run toolchain, install OpenTofu >= 1.10, or set TERRAFORM_BINARY_NAME.",
      );
    }
  }
  // The toolchain's tofu goes with its provider mirror (as for npm start and the e2e tests);
  // another engine keeps whatever CLI configuration the caller has.
  const tofurc = path.join(toolchainHome, "tofurc");
  if (binary.startsWith(`${toolchainHome}${path.sep}`) && fs.existsSync(tofurc)) {
    env.TF_CLI_CONFIG_FILE = tofurc;
  }
  return { binary, env };
}

/** For the local environment: the emulator from SAMPLE_APP_EMULATOR_ENDPOINT, else the one npm start left running. */
function emulatorEndpoint(environment: string): string | undefined {
  // The bootstrap's emulator comes from SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT, read by the synth itself.
  if (environment === BOOTSTRAP) return undefined;
  if (!ENVIRONMENTS[environment].emulator || process.env.SAMPLE_APP_EMULATOR_ENDPOINT) return process.env.SAMPLE_APP_EMULATOR_ENDPOINT;
  const file = path.join(PROJECT_ROOT, ".state", "emulator.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")).endpoint as string) : undefined;
}

// ------------------------------------------------------------------------------ main

/** The name that reviews the state bootstrap (the state bucket and its lock), like an environment. */
const BOOTSTRAP = "bootstrap";

/** Stack id of an environment, or of the state bootstrap. */
function stackIdFor(name: string): string {
  return name === BOOTSTRAP ? BOOTSTRAP_STACK_ID : environmentStackId(name);
}

/** Reads --plan FILE (or standard input for "-"); ReviewError naming the file when it cannot. */
function readPlanFile(file: string): unknown {
  const name = file === "-" ? "standard input" : file;
  let text: string;
  try {
    text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReviewError(`--plan ${name}: cannot read it (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory, not a file" : (error as Error).message})`);
  }
  if (text.trim() === "") throw new ReviewError(`--plan ${name}: it is empty; expected the JSON of tofu show -json PLAN`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReviewError(`--plan ${name}: not valid JSON (${(error as Error).message}); expected the JSON of tofu show -json PLAN`);
  }
}

/** The environment a plan is for, checked against the one asked for (if any). */
function environmentOfPlan(plan: unknown, asked: string, name: string): string {
  try {
    assertPlanJson(plan);
  } catch (error) {
    throw new ReviewError(`--plan ${name}: ${(error as Error).message}`);
  }
  const tags = planStackTags(plan);
  const known = Object.keys(ENVIRONMENTS);
  if (!tags.environment && tags.component === "state") {
    if (asked && asked !== BOOTSTRAP) {
      throw new ReviewError(`--plan ${name}: the plan is for ${BOOTSTRAP_STACK_ID} (the state bootstrap), not ${stackIdFor(asked)} as asked; review it as ${BOOTSTRAP}, or plan ${asked}`);
    }
    return BOOTSTRAP;
  }
  if (!tags.environment) {
    throw new ReviewError(
      `--plan ${name}: cannot tell which stack this plan is for (its AWS provider has no default tag Environment${tags.component ? `; Component = ${tags.component}` : ""}); ` +
        `it is not a plan of an environment's stack (${known.map(stackIdFor).join(", ")}) nor of the state bootstrap (${BOOTSTRAP_STACK_ID})`,
    );
  }
  if (asked && tags.environment !== asked) {
    throw new ReviewError(`--plan ${name}: the plan is for ${stackIdFor(tags.environment)}, not ${stackIdFor(asked)} as asked; review it as ${tags.environment}, or plan ${asked}`);
  }
  if (!known.includes(tags.environment)) {
    throw new ReviewError(`--plan ${name}: the plan is for environment "${tags.environment}", which config/environments.ts does not know (${known.join(", ")})`);
  }
  return tags.environment;
}

/** Whether config/environments.ts marks the environment production (the bootstrap is not). */
function isProduction(environment: string): boolean {
  return environment !== BOOTSTRAP && ENVIRONMENTS[environment]?.production === true;
}

/** --plan: the report of an existing plan; no synth, no engine. */
/**
 * The rollout history checks, loaded when a review gets that far: they bring the AWS SDK and the
 * configuration loader, which --help and a wrong command line never need (each saves a second).
 */
async function loadRolloutHistoryChecks(...args: Parameters<typeof import("./rollout-history").rolloutHistoryChecks>): Promise<ReviewCheck[]> {
  const { rolloutHistoryChecks } = await import("./rollout-history");
  return rolloutHistoryChecks(...args);
}

async function reviewPlanFile(options: Options & { planFile: string }): Promise<{ report: ReviewReport; environment: string }> {
  const name = options.planFile === "-" ? "standard input" : path.relative(process.cwd(), options.planFile) || options.planFile;
  // A failed review must not leave an older report to be posted: remove what the asked stack's run wrote before.
  if (options.environment) removeOutputs(options.outDir, stackIdFor(options.environment));
  const planJson = readPlanFile(options.planFile);
  const environment = environmentOfPlan(planJson, options.environment, name);
  const stack = stackIdFor(environment);
  const outputs = removeOutputs(options.outDir, stack);
  const expected = options.expectFingerprint ? readExpectedFingerprint(options.expectFingerprint) : undefined;
  const historyChecks: ReviewCheck[] = await new Progress().step("reading the groups' instance refreshes", () => (environment === BOOTSTRAP ? Promise.resolve([]) : loadRolloutHistoryChecks(planJson, environment)), () => true);
  let report: ReviewReport;
  try {
    report = buildReport(planJson, { stack, environment, bootSeconds: options.bootSeconds, costThresholdPercent: options.costThresholdPercent, checks: [...EXTRA_CHECKS, ...historyChecks], production: isProduction(environment) });
  } catch (error) {
    throw new ReviewError(`cannot review the plan: ${(error as Error).message}`);
  }
  report = { ...report, flags: [...report.flags, ...lockFileFlags(PROJECT_ROOT, stack)] };
  if (expected !== undefined && expected !== report.planFingerprint) {
    throw new ReviewError(`the plan differs from the reviewed one (fingerprint ${report.planFingerprint.slice(0, 16)}, reviewed ${expected.slice(0, 16)}): review the new plan before applying`);
  }
  fs.mkdirSync(options.outDir, { recursive: true });
  writeAtomically(outputs.json, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomically(outputs.md, renderMarkdown(report));
  return { report, environment };
}

function removeOutputs(outDir: string, stack: string): { md: string; json: string; plan: string } {
  const outputs = { md: path.join(outDir, `${stack}.md`), json: path.join(outDir, `${stack}.json`), plan: path.join(outDir, `${stack}.tfplan`) };
  for (const file of Object.values(outputs)) fs.rmSync(file, { force: true });
  return outputs;
}

function writeAtomically(file: string, text: string): void {
  fs.writeFileSync(`${file}.partial`, text);
  fs.renameSync(`${file}.partial`, file);
}

async function review(options: Options): Promise<ReviewReport> {
  const stack = stackIdFor(options.environment);
  const outputs = { md: path.join(options.outDir, `${stack}.md`), json: path.join(options.outDir, `${stack}.json`), plan: path.join(options.outDir, `${stack}.tfplan`) };
  // A failed review must not leave an older report to be posted or an older plan to be applied.
  for (const file of Object.values(outputs)) fs.rmSync(file, { force: true });

  const expected = options.expectFingerprint ? readExpectedFingerprint(options.expectFingerprint) : undefined;
  const engine = findEngine();
  const progress = new Progress();
  const stackDir = path.join(synthOutdir(), "stacks", stack);

  if (options.synth) {
    const endpoint = emulatorEndpoint(options.environment);
    const synth = await progress.step(`synthesizing ${stack}${options.strict ? " (strict policy)" : ""}`, () =>
      runAsync(process.execPath, [path.join(PROJECT_ROOT, "scripts", "synth.cjs")], PROJECT_ROOT, {
        ...process.env,
        SAMPLE_APP_ENVIRONMENTS: options.environment,
        ...(options.strict ? { [STRICT_VARIABLE]: "1" } : {}),
        ...(endpoint ? { SAMPLE_APP_EMULATOR_ENDPOINT: endpoint } : {}),
      }),
    );
    if (synth.status !== 0) throw new ReviewError(`synthesis failed:\n${synth.stderr.trim()}`);
  }
  if (!fs.existsSync(path.join(stackDir, "cdk.tf.json"))) {
    throw new ReviewError(`${path.relative(PROJECT_ROOT, stackDir)}/cdk.tf.json does not exist: synthesize first (drop --no-synth)`);
  }

  const readonlyLock = fs.existsSync(path.join(stackDir, LOCK_FILE_NAME)) ? ["-lockfile=readonly"] : [];
  const init = await progress.step(`tofu init (${path.basename(engine.binary)})`, () =>
    runAsync(engine.binary, ["init", "-input=false", "-no-color", ...readonlyLock], stackDir, engine.env),
  );
  if (init.status !== 0) {
    const hint = providerUnavailableHint(`${init.stderr}\n${init.stdout}`, stackDir, options.environment);
    throw new ReviewError(`${path.basename(engine.binary)} init failed in ${stackDir}:\n${engineErrors(init)}${hint}`);
  }

  claimReviewOutDir(options.outDir);
  const partialPlan = `${outputs.plan}.partial`;
  const plan = await progress.step(`planning ${stack}`, () =>
    runAsync(engine.binary, ["plan", "-input=false", "-no-color", "-lock-timeout=120s", `-out=${partialPlan}`], stackDir, engine.env),
  );
  if (plan.status !== 0) {
    fs.rmSync(partialPlan, { force: true });
    throw new ReviewError(`${path.basename(engine.binary)} plan failed for ${stack}:\n${engineErrors(plan)}`);
  }
  const show = await progress.step("reading the plan", () => runAsync(engine.binary, ["show", "-json", "-no-color", partialPlan], stackDir, engine.env));
  if (show.status !== 0) {
    fs.rmSync(partialPlan, { force: true });
    throw new ReviewError(`${path.basename(engine.binary)} show -json failed:\n${engineErrors(show)}`);
  }
  let planJson: unknown;
  try {
    planJson = JSON.parse(show.stdout);
  } catch (error) {
    fs.rmSync(partialPlan, { force: true });
    throw new ReviewError(`cannot review the plan: ${(error as Error).message}`);
  }
  // What the groups' recent instance refreshes rolled back (ROLLED-BACK-IMAGE); a failure to
  // read it is a warning flag in the report, never a silent pass.
  const historyChecks: ReviewCheck[] = await progress.step("reading the groups' instance refreshes", () => (options.environment === BOOTSTRAP ? Promise.resolve([]) : loadRolloutHistoryChecks(planJson, options.environment)), () => true);
  let report: ReviewReport;
  try {
    report = buildReport(planJson, { stack, environment: options.environment, bootSeconds: options.bootSeconds, costThresholdPercent: options.costThresholdPercent, checks: [...EXTRA_CHECKS, ...historyChecks], production: isProduction(options.environment) });
  } catch (error) {
    fs.rmSync(partialPlan, { force: true });
    throw new ReviewError(`cannot review the plan: ${(error as Error).message}`);
  }
  // Not part of the plan (nor of its fingerprint): whether reviewed checksums pinned the provider.
  report = { ...report, flags: [...report.flags, ...lockFileFlags(PROJECT_ROOT, stack)] };
  if (expected !== undefined && expected !== report.planFingerprint) {
    fs.rmSync(partialPlan, { force: true });
    throw new ReviewError(
      `the plan differs from the reviewed one (fingerprint ${report.planFingerprint.slice(0, 16)}, reviewed ${expected.slice(0, 16)}): ` +
        "review the new plan before applying",
    );
  }
  fs.renameSync(partialPlan, outputs.plan);
  fs.writeFileSync(outputs.json, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(outputs.md, renderMarkdown(report));
  return report;
}

function readExpectedFingerprint(file: string): string {
  try {
    const fingerprint = JSON.parse(fs.readFileSync(file, "utf8")).planFingerprint;
    if (typeof fingerprint !== "string" || !/^[0-9a-f]{64}$/.test(fingerprint)) throw new Error("no planFingerprint in it");
    return fingerprint;
  } catch (error) {
    throw new ReviewError(`--expect-fingerprint ${file}: ${(error as Error).message}`);
  }
}

async function main(): Promise<number> {
  let options: Options | "help";
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError("review", USAGE, error);
    throw error;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.done;
  }
  try {
    const planFile = options.planFile;
    const report = planFile !== undefined ? (await reviewPlanFile({ ...options, planFile })).report : await review(options);
    process.stdout.write(renderMarkdown(report));
    const rollout = report.rollouts[0];
    process.stderr.write(
      `review: ${report.stack}: ${report.verdict}` +
        (rollout ? `, estimated rollout ${formatDuration(rollout.estimate.totalSeconds)}` : "") +
        ` (exit ${report.exitCode}); report in ${path.relative(process.cwd(), options.outDir) || "."}/${report.stack}.{md,json}` +
        (planFile !== undefined ? ` (of the plan ${planFile === "-" ? "on standard input" : path.relative(process.cwd(), planFile)})\n` : `, plan ${report.stack}.tfplan\n`),
    );
    return report.exitCode;
  } catch (error) {
    const message = error instanceof ReviewError ? error.message : `unexpected failure: ${(error as Error).stack ?? error}`;
    process.stderr.write(`review: ${message}\nNo report was written.\n`);
    return EXIT.error;
  }
}

main().then((code) => {
  process.exitCode = code;
});
