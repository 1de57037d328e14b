/**
 * `npm run state:settings [-- --stack-dir DIR] [--out FILE]`: writes the environments' backend
 * settings file from the applied bootstrap stack (`tofu output -json backend_settings` in
 * cdktf.out/stacks/sample-app-bootstrap) to state-backend.json (or
 * $SAMPLE_APP_STATE_SETTINGS). The next `npm run synth` puts every environment with
 * `s3Backend` on that bucket. The file is replaced atomically and only with a complete object,
 * so a failed run leaves the previous one.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../modules/core/project-root";
import { OutputPathError, checkInputDirectory, checkOutputFile, fsErrorLine } from "../../modules/core/output-path.cjs";
import { UsageError, parseCommandLine } from "../shared/args";
import { EXIT, exitCodeLines } from "../shared/exit-codes";
import { toolchainHome } from "../shared/toolchain-home";

export const STATE_SETTINGS_USAGE = `usage: npm run state:settings [-- --stack-dir DIR] [--out FILE]

Writes the bootstrap's backend settings (tofu output -json backend_settings) to
state-backend.json, or $SAMPLE_APP_STATE_SETTINGS, or FILE.
  --stack-dir DIR   the applied bootstrap stack (default: cdktf.out/stacks/sample-app-bootstrap)
  --out FILE        where to write (an existing file must be a backend settings file)
  -h, --help        this help

${exitCodeLines([
  [EXIT.done, "written"],
  [EXIT.error, "tofu is missing or failed, or the bootstrap has no backend settings; the file is as it was"],
  [EXIT.usage, "also a wrong --out or --stack-dir"],
])}`;

/** It could not be done; the file is as it was. */
export class StateSettingsError extends Error {}

export interface StateSettingsOptions {
  /** @default cdktf.out/stacks/sample-app-bootstrap */
  readonly stackDir: string;
  /** @default $SAMPLE_APP_STATE_SETTINGS, else state-backend.json */
  readonly out: string;
}

/** A backend settings file: a JSON object with a string bucket and region. */
function isSettingsFile(file: string): boolean {
  try {
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as { bucket?: unknown; region?: unknown } | null;
    return json !== null && typeof json === "object" && typeof json.bucket === "string" && typeof json.region === "string";
  } catch {
    return false;
  }
}

export function parseStateSettingsArguments(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): StateSettingsOptions | "help" {
  const parsed = parseCommandLine(argv, { options: { "stack-dir": { type: "string" }, out: { type: "string" } } } as const);
  if (parsed === "help") return "help";
  const rawOut = parsed.values.out;
  try {
    // The output is checked first: a bad --out is the same error whether or not the
    // bootstrap stack has been synthesized yet.
    const fromEnv = rawOut === undefined && env.SAMPLE_APP_STATE_SETTINGS !== undefined;
    const out = checkOutputFile(fromEnv ? "SAMPLE_APP_STATE_SETTINGS" : "--out", fromEnv ? env.SAMPLE_APP_STATE_SETTINGS : rawOut, {
      root: rawOut === undefined ? PROJECT_ROOT : process.cwd(),
      fallback: path.join(PROJECT_ROOT, "state-backend.json"),
      example: "state-backend.json",
      what: "a backend settings file (JSON with bucket and region)",
      recognise: isSettingsFile,
    });
    const stackDir = checkInputDirectory("--stack-dir", parsed.values["stack-dir"], {
      root: process.cwd(),
      fallback: path.join(PROJECT_ROOT, "cdktf.out", "stacks", "sample-app-bootstrap"),
      hint: "run: SAMPLE_APP_ENVIRONMENTS=bootstrap npm run synth, then tofu init and tofu apply there",
    });
    return { stackDir, out };
  } catch (error) {
    if (error instanceof OutputPathError) throw new UsageError(error.message);
    throw error;
  }
}

function findTofu(): string {
  if (process.env.TOFU) return process.env.TOFU;
  const onPath = spawnSync("sh", ["-c", "command -v tofu"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const cached = path.join(toolchainHome(), "bin", "tofu");
  if (fs.existsSync(cached)) return cached;
  throw new StateSettingsError("tofu not found: put it on PATH (. ~/.cache/sample-app-toolchain/env.sh) or set TOFU");
}

/** Reads the bootstrap's backend settings and writes them; returns what to print. */
export function writeStateSettings({ stackDir, out }: StateSettingsOptions): string {
  if (!fs.existsSync(path.join(stackDir, "cdk.tf.json"))) {
    throw new StateSettingsError(`${stackDir} is not a synthesized stack; run: SAMPLE_APP_ENVIRONMENTS=bootstrap npm run synth, then tofu init and tofu apply there`);
  }
  const result = spawnSync(findTofu(), ["output", "-json", "backend_settings"], {
    cwd: stackDir,
    encoding: "utf8",
    env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
  });
  if (result.error) throw new StateSettingsError(`could not run tofu: ${result.error.message}`);
  if (result.status !== 0) {
    throw new StateSettingsError(`tofu output in ${stackDir} failed (has the bootstrap been applied?):\n${result.stderr.trim()}`);
  }
  let settings: { bucket?: unknown; region?: unknown; emulatorEndpoint?: unknown; kmsKeyId?: unknown; dynamodbTable?: unknown } | null;
  try {
    settings = JSON.parse(result.stdout);
  } catch {
    throw new StateSettingsError(`tofu output printed no JSON object:\n${result.stdout}`);
  }
  if (!settings || typeof settings !== "object" || typeof settings.bucket !== "string" || typeof settings.region !== "string") {
    throw new StateSettingsError(`backend_settings has no bucket and region (got ${result.stdout.trim()}); apply the bootstrap first`);
  }
  const temporary = path.join(path.dirname(out), `.${process.pid}.state-backend.tmp`);
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`);
    fs.renameSync(temporary, out);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new StateSettingsError(`cannot write ${fsErrorLine(error, out) ?? (error as Error).message}; ${out} is as it was`);
  }
  const where = settings.emulatorEndpoint ? ` in the emulator at ${String(settings.emulatorEndpoint)}` : "";
  return (
    `wrote ${out}: bucket ${settings.bucket} (${settings.region})${where}, ` +
    `${settings.kmsKeyId ? "SSE-KMS" : "SSE-S3"}, ${settings.dynamodbTable ? `lock file + table ${String(settings.dynamodbTable)}` : "lock file"}.\n` +
    "Next: npm run synth (environments with s3Backend now use it), then tofu init in each stack directory " +
    "(tofu init -migrate-state where a local state exists).\n"
  );
}
