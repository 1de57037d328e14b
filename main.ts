/**
 * The CDKTF app: one stack per environment (sample-app-dev, -stage, -prod, -local) and
 * the state bootstrap (sample-app-bootstrap, the S3 bucket for the environments' state).
 *
 * Run by `cdktf synth` (through cdktf.json) or directly by `npm run synth`. Either way
 * a failure leaves the previous cdktf.out/ as it was: configuration is validated before
 * anything is built, and the app synthesizes into a staging directory whose files are
 * moved over the previous output only once every stack has synthesized and passed the
 * policy rules (policy/). `--strict` or SAMPLE_APP_STRICT=1 turns the warnings about
 * settings the repo cannot ship (certificate ARN, state bucket) into errors.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { loadStacks } from "./config/load";
import { describeStateBackend } from "./config/state";
import { ConfigError } from "./config/validate";
import { PROJECT_ROOT } from "./lib/project-root";
import { publishSynthOutput } from "./lib/publish-synth-output";
import { BOOTSTRAP_STACK_ID } from "./lib/stack-ids";
import { formatReport } from "./policy/report";
import { STRICT_FLAG, isStrict } from "./policy/strict";
import { SampleAppStack, stackIdFor } from "./stacks/sample-app-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";

class UsageError extends Error {}

function parseArguments(argv: string[]): { strict: boolean } {
  const unknown = argv.filter((argument) => argument !== STRICT_FLAG);
  if (unknown.length > 0) {
    throw new UsageError(`unknown argument ${unknown.map((a) => JSON.stringify(a)).join(", ")}; the only option is ${STRICT_FLAG}`);
  }
  let strict: boolean;
  try {
    strict = isStrict(argv, process.env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { strict };
}

function synthesize(): void {
  const { strict } = parseArguments(process.argv.slice(2));
  const { environments, bootstrap } = loadStacks();
  const stateReport: string[] = [];
  const outdir = path.resolve(PROJECT_ROOT, process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const stagingDir = `${outdir}.staging-${process.pid}`;
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
    if (bootstrap) {
      const stack = new StateBootstrapStack(app, BOOTSTRAP_STACK_ID, { config: bootstrap.config });
      stateReport.push(describeStateBackend(BOOTSTRAP_STACK_ID, stack.stateBackend));
    }
    for (const environment of environments) {
      const stack = new SampleAppStack(app, stackIdFor(environment.name), { environment, strict });
      stacks.push(stack);
      stateReport.push(describeStateBackend(stack.node.id, stack.stateBackend));
    }
    try {
      app.synth();
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
    publishSynthOutput(stagingDir, outdir);
    printReports(process.stdout);
    // Which state each stack will use is the one thing to check before `tofu init`.
    process.stdout.write(`State:\n${stateReport.map((line) => `  ${line}`).join("\n")}\n`);
  } finally {
    fs.rmSync(stagingDir, { recursive: true, force: true });
  }
}

try {
  synthesize();
} catch (error) {
  if (error instanceof ConfigError || error instanceof UsageError) {
    process.stderr.write(`${error instanceof UsageError ? `Invalid invocation: ${error.message}` : error.message}\nNothing was synthesized; cdktf.out/ is unchanged.\n`);
  } else {
    process.stderr.write(`Synthesis failed: ${(error as Error).message}\nNothing was written to cdktf.out/.\n`);
  }
  process.exitCode = 1;
}
