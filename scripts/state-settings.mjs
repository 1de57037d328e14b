#!/usr/bin/env node
// npm run state:settings [-- --stack-dir DIR] [--out FILE]
//
// Writes the environments' backend settings file from the applied bootstrap stack:
// `tofu output -json backend_settings` in cdktf.out/stacks/sample-app-bootstrap, to
// state-backend.json (or $SAMPLE_APP_STATE_SETTINGS). The next `npm run synth` puts
// every environment with `s3Backend` on that bucket. The file is replaced atomically
// and only with a complete object, so a failed run leaves the previous one.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { OutputPathError, checkInputDirectory, checkOutputFile, fsErrorLine } = createRequire(import.meta.url)("../modules/core/output-path.cjs");
const usage = `usage: npm run state:settings [-- --stack-dir DIR] [--out FILE]

Writes the bootstrap's backend settings (tofu output -json backend_settings) to
state-backend.json, or $SAMPLE_APP_STATE_SETTINGS, or FILE.
  --stack-dir DIR   the applied bootstrap stack (default: cdktf.out/stacks/sample-app-bootstrap)
  --out FILE        where to write (an existing file must be a backend settings file)
  -h, --help        this help`;

function fail(message, code = 1) {
  process.stderr.write(`state:settings: ${message}\n`);
  process.exit(code);
}

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
let rawStackDir;
let rawOut;
for (let i = 0; i < args.length; i += 1) {
  const value = args[i + 1];
  if (args[i] === "--stack-dir" || args[i] === "--out") {
    if (value === undefined || value.startsWith("-")) fail(`${args[i]} needs a value\n\n${usage}`, 2);
    if (args[i] === "--stack-dir") rawStackDir = value;
    else rawOut = value;
    i += 1;
  } else {
    fail(`unknown argument ${JSON.stringify(args[i])}\n\n${usage}`, 2);
  }
}

/** A backend settings file: a JSON object with a string bucket and region. */
function isSettingsFile(file) {
  try {
    const json = JSON.parse(readFileSync(file, "utf8"));
    return json !== null && typeof json === "object" && typeof json.bucket === "string" && typeof json.region === "string";
  } catch {
    return false;
  }
}

let stackDir;
let out;
try {
  // The output is checked first: a bad --out is the same error whether or not the
  // bootstrap stack has been synthesized yet.
  const fromEnv = rawOut === undefined && process.env.SAMPLE_APP_STATE_SETTINGS !== undefined;
  out = checkOutputFile(fromEnv ? "SAMPLE_APP_STATE_SETTINGS" : "--out", fromEnv ? process.env.SAMPLE_APP_STATE_SETTINGS : rawOut, {
    root: rawOut === undefined ? root : process.cwd(),
    fallback: join(root, "state-backend.json"),
    example: "state-backend.json",
    what: "a backend settings file (JSON with bucket and region)",
    recognise: isSettingsFile,
  });
  stackDir = checkInputDirectory("--stack-dir", rawStackDir, {
    root: process.cwd(),
    fallback: join(root, "cdktf.out", "stacks", "sample-app-bootstrap"),
    hint: "run: SAMPLE_APP_ENVIRONMENTS=bootstrap npm run synth, then tofu init and tofu apply there",
  });
} catch (error) {
  if (error instanceof OutputPathError) fail(error.message, 2);
  throw error;
}

function findTofu() {
  if (process.env.TOFU) return process.env.TOFU;
  const onPath = spawnSync("sh", ["-c", "command -v tofu"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const cached = join(process.env.SAMPLE_APP_TOOLCHAIN_HOME || join(homedir(), ".cache", "sample-app-toolchain"), "bin", "tofu");
  if (existsSync(cached)) return cached;
  fail("tofu not found: put it on PATH (. ~/.cache/sample-app-toolchain/env.sh) or set TOFU");
}

if (!existsSync(join(stackDir, "cdk.tf.json"))) {
  fail(`${stackDir} is not a synthesized stack; run: SAMPLE_APP_ENVIRONMENTS=bootstrap npm run synth, then tofu init and tofu apply there`);
}
const result = spawnSync(findTofu(), ["output", "-json", "backend_settings"], {
  cwd: stackDir,
  encoding: "utf8",
  env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
});
if (result.error) fail(`could not run tofu: ${result.error.message}`);
if (result.status !== 0) {
  fail(`tofu output in ${stackDir} failed (has the bootstrap been applied?):\n${result.stderr.trim()}`);
}
let settings;
try {
  settings = JSON.parse(result.stdout);
} catch {
  fail(`tofu output printed no JSON object:\n${result.stdout}`);
}
if (!settings || typeof settings !== "object" || typeof settings.bucket !== "string" || typeof settings.region !== "string") {
  fail(`backend_settings has no bucket and region (got ${result.stdout.trim()}); apply the bootstrap first`);
}
const temporary = join(dirname(out), `.${process.pid}.state-backend.tmp`);
try {
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`);
  renameSync(temporary, out);
} catch (error) {
  rmSync(temporary, { force: true });
  fail(`cannot write ${fsErrorLine(error, out) ?? error.message}; ${out} is as it was`);
}
const where = settings.emulatorEndpoint ? ` in the emulator at ${settings.emulatorEndpoint}` : "";
process.stdout.write(
  `wrote ${out}: bucket ${settings.bucket} (${settings.region})${where}, ` +
    `${settings.kmsKeyId ? "SSE-KMS" : "SSE-S3"}, ${settings.dynamodbTable ? `lock file + table ${settings.dynamodbTable}` : "lock file"}.\n` +
    "Next: npm run synth (environments with s3Backend now use it), then tofu init in each stack directory " +
    "(tofu init -migrate-state where a local state exists).\n",
);
