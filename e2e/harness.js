/**
 * The end-to-end tests' harness: the local cloud (emulator/local-cloud.js: toolchain, emulator,
 * synth, tofu) plus what only the tests use (the state bootstrap against the emulator and the
 * check of a stack's S3 backend before tofu init).
 *
 * CommonJS on purpose: the jest tests load it without a build.
 */
const fs = require("fs");
const path = require("path");
const localCloud = require("../emulator/local-cloud");

const { ROOT, VERSIONS, run, tofu, tofuEnv } = localCloud;

const BOOTSTRAP_STACK = "sample-app-bootstrap";

/**
 * What a user does once per account, against the emulator: synthesize the state
 * bootstrap, `tofu init` + `tofu apply` it (its own local state in `<outdir>/../.state`),
 * then `npm run state:settings` into `settingsFile`. Returns the settings written.
 */
function bootstrapState(toolchain, outdir, { endpoint, settingsFile }) {
  const env = {
    ...process.env,
    CDKTF_OUTDIR: outdir,
    SAMPLE_APP_ENVIRONMENTS: "bootstrap",
    SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT: endpoint,
    // The emulated bootstrap runs on the provider the toolchain built, as the local stack does.
    SAMPLE_APP_AWS_PROVIDER_VERSION: VERSIONS.awsProvider.version,
  };
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  run(process.execPath, [path.join(ROOT, "dist", "main.js")], { cwd: ROOT, env });
  const stackDir = path.join(outdir, "stacks", BOOTSTRAP_STACK);
  tofu(toolchain, ["init", "-input=false"], stackDir);
  tofu(toolchain, ["apply", "-input=false", "-auto-approve"], stackDir);
  run(process.execPath, [path.join(ROOT, "scripts", "ops.mjs"), "state-settings", "--stack-dir", stackDir, "--out", settingsFile], {
    cwd: ROOT,
    env: tofuEnv(toolchain, { TOFU: toolchain.tofu }),
  });
  return { stackDir, settings: JSON.parse(fs.readFileSync(settingsFile, "utf8")) };
}

class StateBackendError extends Error {}

/**
 * Checks a synthesized stack's S3 backend against the emulator before `tofu init`:
 * the bucket must exist and be in the backend's region. tofu's own answers are an
 * SDK error ("NoSuchBucket" from ListObjectsV2) for the first, and nothing at all for
 * the second (moto serves a bucket from any region; AWS answers a wrong region with a
 * redirect error). Backends on real AWS are not checked (no credentials here).
 */
async function checkStateBackend(stackDir) {
  const config = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const s3 = config.terraform?.backend?.s3;
  const endpoint = s3?.endpoints?.s3;
  if (!s3 || !endpoint) return;
  const stack = path.basename(stackDir);
  let response;
  try {
    response = await fetch(`${endpoint.replace(/\/$/, "")}/${encodeURIComponent(s3.bucket)}`, { method: "HEAD" });
  } catch (error) {
    throw new StateBackendError(`${stack}: the S3 backend's emulator at ${endpoint} does not answer (${error.message}); is it running?`);
  }
  if (response.status === 404) {
    throw new StateBackendError(
      `${stack}: the state bucket "${s3.bucket}" does not exist in the emulator at ${endpoint}. ` +
        "The backend settings are stale (an emulator keeps buckets in memory: a restart or reset loses them) or name " +
        "another bucket: apply sample-app-bootstrap against this emulator, run npm run state:settings, and synthesize again.",
    );
  }
  if (!response.ok) {
    throw new StateBackendError(`${stack}: checking the state bucket "${s3.bucket}" at ${endpoint} failed: HTTP ${response.status}`);
  }
  const actual = response.headers.get("x-amz-bucket-region");
  if (actual && actual !== s3.region) {
    throw new StateBackendError(
      `${stack}: the state bucket "${s3.bucket}" is in ${actual}, but the backend is configured for ${s3.region}. ` +
        `Set s3Backend.region to ${actual} (or leave it out to take the bootstrap's region), then synthesize again.`,
    );
  }
}

module.exports = {
  ...localCloud,
  BOOTSTRAP_STACK,
  bootstrapState,
  StateBackendError,
  checkStateBackend,
};
