/**
 * The local cloud: the AWS emulator and the toolchain that deploys to it, shared by `npm start` /
 * `npm run destroy:local` / `npm run bench` (emulator/local.mjs), the fixture recorders
 * (scripts/record-*-fixtures.mjs) and the end-to-end tests (e2e/harness.js adds what only they use):
 * find the toolchain that `npm run toolchain` built, start the emulator on a free
 * loopback port, synthesize the local stack against it, and run tofu.
 *
 * CommonJS on purpose: both the ESM script and the jest tests load it without a build.
 */
const { spawn, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const readline = require("readline");

const ROOT = path.join(__dirname, "..");
const VERSIONS = JSON.parse(fs.readFileSync(path.join(ROOT, "toolchain.json"), "utf8"));
const TOOLCHAIN_HOME = process.env.SAMPLE_APP_TOOLCHAIN_HOME || path.join(os.homedir(), ".cache", "sample-app-toolchain");
const LOCAL_STACK = "sample-app-local";

class ToolchainMissingError extends Error {}

/** Paths of the tools, or an error naming the missing piece. */
function findToolchain() {
  const missing = [];
  const tofu = [path.join(TOOLCHAIN_HOME, "bin", "tofu")].find((candidate) => fs.existsSync(candidate));
  if (!tofu) missing.push(`tofu (${path.join(TOOLCHAIN_HOME, "bin", "tofu")})`);
  const cliConfig = path.join(TOOLCHAIN_HOME, "tofurc");
  if (!fs.existsSync(cliConfig)) missing.push(`the tofu CLI config with the provider mirror (${cliConfig})`);
  const provider = path.join(
    TOOLCHAIN_HOME,
    "plugins",
    "registry.opentofu.org",
    "hashicorp",
    "aws",
    VERSIONS.awsProvider.version,
    "linux_amd64",
    `terraform-provider-aws_v${VERSIONS.awsProvider.version}_x5`,
  );
  if (!fs.existsSync(provider)) missing.push(`terraform-provider-aws ${VERSIONS.awsProvider.version} (${provider})`);
  const python = path.join(TOOLCHAIN_HOME, "moto", VERSIONS.moto.version, "venv", "bin", "python");
  if (!fs.existsSync(python)) missing.push(`moto ${VERSIONS.moto.version} (${python})`);
  if (missing.length > 0) {
    throw new ToolchainMissingError(`missing from the local toolchain: ${missing.join("; ")}. Run: npm run toolchain`);
  }
  return { tofu, cliConfig, provider, python, emulatorScript: path.join(ROOT, "emulator", "moto", "server.py") };
}

/**
 * Environment for tofu: offline provider mirror, no prompts, no ambient AWS credentials,
 * and no colour codes unless asked (tests read the output).
 */
function tofuEnv(toolchain, extra = {}, { color = false } = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("AWS_") || key.startsWith("TF_VAR_")) delete env[key];
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: toolchain.cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    ...(color ? {} : { TF_CLI_ARGS: "-no-color" }),
    ...extra,
  };
}

/**
 * Starts the emulator (moto with the instance refresh extension) on 127.0.0.1 and a
 * free port. `detached` leaves it running after this process exits (npm start).
 */
function startEmulator(toolchain, { detached = false, logFile, extraArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const out = logFile ? fs.openSync(logFile, "a") : "ignore";
    const child = spawn(toolchain.python, [toolchain.emulatorScript, "--host", "127.0.0.1", "--port", "0", ...extraArgs], {
      cwd: ROOT,
      detached,
      stdio: ["ignore", "pipe", out],
    });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error("the emulator did not report a listening port within 60 s"));
    }, 60000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start the emulator: ${error.message}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with code ${code} before listening${logFile ? `; see ${logFile}` : ""}`));
    });
    const lines = readline.createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event.event !== "listening") return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      lines.close();
      // Keep draining stdout so the emulator never blocks on a full pipe.
      child.stdout.resume();
      if (detached) {
        child.stdout.destroy();
        child.unref();
      }
      const endpoint = `http://127.0.0.1:${event.port}`;
      resolve({
        endpoint,
        pid: child.pid,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

async function resetEmulator(endpoint) {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`resetting the emulator failed: HTTP ${response.status}`);
}

function isEmulatorAlive(endpoint) {
  return fetch(`${endpoint}/_sample_app/health`).then(
    (response) => response.ok,
    () => false,
  );
}

/** Transpiles the app once (scripts/build.mjs). */
function buildApp() {
  run(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
}

/**
 * Synthesizes the local stack into `outdir` pointed at `endpoint`; returns the stack's
 * working directory (where tofu runs).
 */
function synthLocal(outdir, { endpoint, imageId, environments = "local", extraEnv = {} }) {
  const env = {
    ...process.env,
    CDKTF_OUTDIR: outdir,
    SAMPLE_APP_ENVIRONMENTS: environments,
    SAMPLE_APP_EMULATOR_ENDPOINT: endpoint,
    ...extraEnv,
  };
  if (imageId) env.SAMPLE_APP_IMAGE_ID_LOCAL = imageId;
  run(process.execPath, [path.join(ROOT, "dist", "main.js")], { cwd: ROOT, env });
  return path.join(outdir, "stacks", LOCAL_STACK);
}

/** Runs a command; throws with its output when it fails (unless `allowExit` lists the code). */
function run(command, args, { cwd, env, allowExit = [0], echo = false } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: echo ? ["ignore", "inherit", "inherit"] : "pipe",
  });
  if (result.error) throw result.error;
  if (!allowExit.includes(result.status)) {
    const output = echo ? "" : `\n${result.stdout}\n${result.stderr}`;
    throw new Error(`${path.basename(command)} ${args.join(" ")} exited with ${result.status}${output}`);
  }
  return result;
}

function tofu(toolchain, args, cwd, options = {}) {
  return run(toolchain.tofu, args, { ...options, cwd, env: tofuEnv(toolchain, options.env, { color: options.color }) });
}

module.exports = {
  ROOT,
  VERSIONS,
  TOOLCHAIN_HOME,
  LOCAL_STACK,
  ToolchainMissingError,
  findToolchain,
  tofuEnv,
  startEmulator,
  resetEmulator,
  isEmulatorAlive,
  buildApp,
  synthLocal,
  run,
  tofu,
};
