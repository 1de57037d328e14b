#!/usr/bin/env node
// npm run state:settings [-- --stack-dir DIR] [--out FILE]
//
// Writes the environments' backend settings file from the applied bootstrap stack:
// `tofu output -json backend_settings` in cdktf.out/stacks/sample-app-bootstrap, to
// state-backend.json (or $SAMPLE_APP_STATE_SETTINGS). The next `npm run synth` puts
// every environment with `s3Backend` on that bucket. The file is replaced atomically
// and only with a complete object, so a failed run leaves the previous one.
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const usage = "usage: npm run state:settings [-- --stack-dir DIR] [--out FILE]";

function fail(message) {
  process.stderr.write(`state:settings: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
let stackDir = join(root, "cdktf.out", "stacks", "sample-app-bootstrap");
let out = resolve(root, process.env.SAMPLE_APP_STATE_SETTINGS ?? "state-backend.json");
for (let i = 0; i < args.length; i += 1) {
  const value = args[i + 1];
  if (args[i] === "--stack-dir" && value) {
    stackDir = resolve(value);
    i += 1;
  } else if (args[i] === "--out" && value) {
    out = resolve(value);
    i += 1;
  } else if (args[i] === "--help" || args[i] === "-h") {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  } else {
    fail(`unknown argument ${JSON.stringify(args[i])}; ${usage}`);
  }
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
writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`);
renameSync(temporary, out);
const where = settings.emulatorEndpoint ? ` in the emulator at ${settings.emulatorEndpoint}` : "";
process.stdout.write(
  `wrote ${out}: bucket ${settings.bucket} (${settings.region})${where}, ` +
    `${settings.kmsKeyId ? "SSE-KMS" : "SSE-S3"}, ${settings.dynamodbTable ? `lock file + table ${settings.dynamodbTable}` : "lock file"}.\n` +
    "Next: npm run synth (environments with s3Backend now use it), then tofu init in each stack directory " +
    "(tofu init -migrate-state where a local state exists).\n",
);
