/**
 * The CDKTF app: one stack per environment (sample-app-dev, -stage, -prod, -local) and
 * the state bootstrap (sample-app-bootstrap, the S3 bucket for the environments' state).
 *
 * Run by `cdktf synth` (through cdktf.json) or directly by `npm run synth`. Either way
 * a failure leaves the previous cdktf.out/ as it was: configuration is validated before
 * anything is built, the app synthesizes into a staging directory, every stack must pass
 * the policy rules (policy/), and only then does the new tree replace the old one, all at
 * once (stacks/synth/publish-synth-output.ts). `--strict` or SAMPLE_APP_STRICT=1 turns the warnings
 * about settings the repo cannot ship (certificate ARN, state bucket) into errors.
 * Each stack's committed lock file (provider-locks/<stack>.terraform.lock.hcl) is restored
 * into its directory, so tofu and `cdktf diff` reuse the reviewed provider checksums.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { ENVIRONMENTS } from "./config/environments";
import { loadStacks } from "./config/load";
import { describeStateBackend } from "./config/state";
import { ConfigError } from "./config/validate";
import { PROJECT_ROOT } from "./modules/core/project-root";
import { restoreLockFiles } from "./stacks/synth/provider-locks";
import { PublishError, checkSynthOutdir, publishSynthOutput } from "./stacks/synth/publish-synth-output";
import { OutputPathError, fsErrorLine } from "./modules/core/output-path.cjs";
import { BOOTSTRAP_STACK_ID } from "./config/stack-ids";
import { formatReport } from "./policy/report";
import { STRICT_FLAG, isStrict } from "./policy/strict";
import { SampleAppStack, stackIdFor } from "./stacks/sample-app-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";

const USAGE = `Usage: node dist/main.js [--strict]   (npm run synth [-- --strict], or cdktf synth through cdktf.json)

Synthesizes every environment of config/environments.ts, and the state bootstrap, into
cdktf.out/ (CDKTF_OUTDIR overrides the directory). The directory is synth's own: it must be
new, empty or written by synth (.sample-app-synth.json in it); only the stacks listed there
are ever replaced or deleted. Symbolic links are not followed.
  --strict     policy warnings about settings the repo cannot ship become errors
               (also SAMPLE_APP_STRICT=1)
  -h, --help   this help (does nothing else)
Choose what to synthesize with environment variables:
  SAMPLE_APP_ENVIRONMENTS=dev,prod         only these environments
  SAMPLE_APP_IMAGE_ID_<ENV>=ami-…          deploy this image to one environment
  SAMPLE_APP_EMULATOR_ENDPOINT=http://…    the emulator, for environments that have one
  SAMPLE_APP_AWS_PROVIDER_VERSION=x.y.z    pin this AWS provider in every stack
See docs/configuration.md.
`;

class UsageError extends Error {}

function parseArguments(argv: string[]): { strict: boolean } {
  const unknown = argv.filter((argument) => argument !== STRICT_FLAG);
  if (unknown.length > 0) {
    throw new UsageError(`unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map((a) => JSON.stringify(a)).join(", ")}; the only option is ${STRICT_FLAG}`);
  }
  let strict: boolean;
  try {
    strict = isStrict(argv, process.env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { strict };
}

/**
 * cdktf records a complete stack trace, formatted, for every token it creates, only to say
 * where a token came from in an error; formatting them costs about a sixth of synth time
 * (npm run bench). While the app builds and synthesizes, traces are captured unformatted;
 * error messages are unaffected, and the formatter is restored afterwards.
 */
function withoutStackTraceFormatting<T>(run: () => T): T {
  const previous = Error.prepareStackTrace;
  const previousCapture = Error.captureStackTrace;
  Error.prepareStackTrace = () => "";
  // With the formatter above every captured trace reads "" anyway, so skip collecting the
  // frames (cdktf asks for all of them, for every token: a tenth of synth time). The result is
  // the same "" stack; errors thrown by V8 and Node.js do not go through this function.
  Error.captureStackTrace = (target: object) => {
    Object.defineProperty(target, "stack", { value: "", writable: true, configurable: true });
  };
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous;
    Error.captureStackTrace = previousCapture;
  }
}

/** A path relative to the working directory when it is below it, else absolute. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === "" || relative.startsWith("..") ? file : relative;
}

function synthesize(strict: boolean): void {
  // Synth's own directory (a marker in it says which stacks are synth's), checked first.
  const outdir = checkSynthOutdir(process.env.CDKTF_OUTDIR, PROJECT_ROOT);
  const { environments, bootstrap, warnings } = loadStacks();
  for (const warning of warnings) {
    process.stderr.write(`Warning: ${warning}\n`);
  }
  const stateReport: string[] = [];
  const stagingDir = `${outdir}.staging-${process.pid}`;
  // CDKTF_OUTDIR may name a directory whose parent does not exist yet.
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const stacks: SampleAppStack[] = [];
  const printReports = (stream: NodeJS.WritableStream) => {
    for (const stack of stacks) {
      for (const report of stack.policy.reports.values()) {
        stream.write(`${formatReport(report).join("\n")}\n`);
      }
    }
  };
  try {
    // Stack traces in construct metadata cost a third of synth time and are never read by tofu.
    const app = new App({ outdir: stagingDir, stackTraces: false });
    try {
      withoutStackTraceFormatting(() => {
        if (bootstrap) {
          const stack = new StateBootstrapStack(app, BOOTSTRAP_STACK_ID, { config: bootstrap.config });
          stateReport.push(describeStateBackend(BOOTSTRAP_STACK_ID, stack.stateBackend));
        }
        for (const environment of environments) {
          const stack = new SampleAppStack(app, stackIdFor(environment.name), { environment, strict });
          stacks.push(stack);
          stateReport.push(describeStateBackend(stack.node.id, stack.stateBackend));
        }
        app.synth();
      });
    } catch (error) {
      const failed = stacks.some((stack) =>
        [...stack.policy.reports.values()].some((report) => report.suppressionErrors.length > 0 || report.findings.some((f) => f.level === "error")),
      );
      if (failed) {
        printReports(process.stderr);
        throw new Error(`policy rules failed (see the errors above)${strict ? " in strict mode" : ""}`);
      }
      throw error;
    }
    // The committed provider lock files (npm run lock) go with the synthesized JSON.
    // (Not for npm run lock, which writes new ones and must be able to replace a broken one.)
    if (process.env.SAMPLE_APP_SKIP_LOCK_FILES !== "1") {
      restoreLockFiles(PROJECT_ROOT, stagingDir);
    }
    const { removedStacks, leftover } = publishSynthOutput(stagingDir, outdir, {
      // Stacks of configured environments and the bootstrap stay even when not synthesized now.
      liveStacks: [...Object.keys(ENVIRONMENTS).map(stackIdFor), BOOTSTRAP_STACK_ID],
    });
    printReports(process.stdout);
    // Which state each stack will use is the one thing to check before `tofu init`.
    process.stdout.write(`State:\n${stateReport.map((line) => `  ${line}`).join("\n")}\n`);
    for (const stack of removedStacks) {
      process.stdout.write(
        `Removed ${shownPath(path.join(outdir, "stacks", stack))}: its environment is no longer in ` +
          `config/environments.ts (its state in .state/ or S3 is untouched).\n`,
      );
    }
    if (leftover !== undefined) {
      process.stderr.write(`Synthesized and published, but ${leftover}\n`);
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(stagingDir, { recursive: true, force: true });
  }
}

function run(argv: string[]): void {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return;
  }
  let strict: boolean;
  try {
    ({ strict } = parseArguments(argv));
  } catch (error) {
    process.stderr.write(`Invalid invocation: ${(error as Error).message}\n\n${USAGE}Nothing was synthesized; cdktf.out/ is unchanged.\n`);
    process.exitCode = 2;
    return;
  }
  try {
    synthesize(strict);
  } catch (error) {
    const fsError = fsErrorLine(error);
    if (error instanceof ConfigError || error instanceof UsageError || error instanceof OutputPathError) {
      process.stderr.write(`${error.message}\nNothing was synthesized; cdktf.out/ is unchanged.\n`);
    } else if (error instanceof PublishError || fsError !== undefined) {
      process.stderr.write(`Synthesis failed: ${fsError ?? (error as Error).message}\nNothing was written; cdktf.out/ is unchanged.\n`);
    } else {
      process.stderr.write(`Synthesis failed: ${(error as Error).message}\nNothing was written; cdktf.out/ is unchanged.\n`);
    }
    process.exitCode = 1;
  }
}

run(process.argv.slice(2));
