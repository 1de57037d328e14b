// Records the plan JSON fixtures of the review classifier's unit tests
// (__tests__/fixtures/plans/*.json) by running the real OpenTofu and AWS provider against
// the emulator: deploy sample-app-local, then plan each change of e2e/plan-scenarios.js
// (and a new image, no change, the first deployment, a destroy) and keep `tofu show -json`.
// The JSON is stored as tofu printed it, minus nothing; re-run after a provider or stack
// change: node scripts/record-plan-fixtures.mjs [name...] (needs npm run toolchain); with
// names, only those fixtures are recorded again.
import { createRequire } from "node:module";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const harness = require("../emulator/local-cloud.js");
const { SCENARIOS, applyScenario } = require("../e2e/plan-scenarios.js");

const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";
const FIXTURES = join(harness.ROOT, "__tests__", "fixtures", "plans");

const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.includes(name);
const toolchain = harness.findToolchain();
harness.buildApp();
const emulator = await harness.startEmulator(toolchain);
const work = mkdtempSync(join(tmpdir(), "sample-app-fixtures-"));
const outdir = join(work, "cdktf.out");
mkdirSync(FIXTURES, { recursive: true });

const tofu = (args, stackDir, options) => harness.tofu(toolchain, args, stackDir, options);
const synth = (imageId = FIRST_IMAGE) => harness.synthLocal(outdir, { endpoint: emulator.endpoint, imageId });

function record(name, stackDir, planArgs = []) {
  if (!wanted(name)) return;
  tofu(["plan", "-input=false", "-out=fixture.plan", ...planArgs], stackDir);
  const json = tofu(["show", "-json", "fixture.plan"], stackDir).stdout;
  JSON.parse(json);
  writeFileSync(join(FIXTURES, `${name}.json`), json.endsWith("\n") ? json : `${json}\n`);
  rmSync(join(stackDir, "fixture.plan"), { force: true });
  console.log(`recorded ${name}`);
}

try {
  let stackDir = synth();
  tofu(["init", "-input=false"], stackDir);
  record("initial", stackDir);
  tofu(["apply", "-input=false", "-auto-approve"], stackDir);
  record("no-changes", stackDir);

  stackDir = synth(SECOND_IMAGE);
  record("image-change", stackDir);

  for (const name of Object.keys(SCENARIOS).filter(wanted)) {
    stackDir = synth();
    console.log(`${name}: ${applyScenario(stackDir, name)}`);
    record(name, stackDir);
  }

  stackDir = synth();
  record("destroy", stackDir, ["-destroy"]);
  tofu(["destroy", "-input=false", "-auto-approve"], stackDir);
} finally {
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}
