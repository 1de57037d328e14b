/**
 * The CDKTF app: one stack per environment (sample-app-dev, -stage, -prod, -local).
 *
 * Run by `cdktf synth` (through cdktf.json) or directly by `npm run synth`. Either way
 * a failure leaves the previous cdktf.out/ as it was: configuration is validated before
 * anything is built, and the app synthesizes into a staging directory whose files are
 * moved over the previous output only once every stack has synthesized.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { loadEnvironments } from "./config/load";
import { ConfigError } from "./config/validate";
import { PROJECT_ROOT } from "./lib/project-root";
import { publishSynthOutput } from "./lib/publish-synth-output";
import { SampleAppStack, stackIdFor } from "./stacks/sample-app-stack";

function synthesize(): void {
  const environments = loadEnvironments();
  const outdir = path.resolve(PROJECT_ROOT, process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const stagingDir = `${outdir}.staging-${process.pid}`;
  try {
    // Stack traces in construct metadata cost a third of synth time and are never read by tofu.
    const app = new App({ outdir: stagingDir, stackTraces: false });
    for (const environment of environments) {
      new SampleAppStack(app, stackIdFor(environment.name), { environment });
    }
    app.synth();
    publishSynthOutput(stagingDir, outdir);
  } finally {
    fs.rmSync(stagingDir, { recursive: true, force: true });
  }
}

try {
  synthesize();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nNothing was synthesized; cdktf.out/ is unchanged.\n`);
  } else {
    process.stderr.write(`Synthesis failed: ${(error as Error).message}\nNothing was written to cdktf.out/.\n`);
  }
  process.exitCode = 1;
}
