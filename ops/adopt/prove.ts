/**
 * The adoption proves itself: the stack with the proposal is synthesized into a temporary
 * directory (never the user's cdktf.out), its backend pointed at a COPY of the existing
 * state, and `tofu init` + `tofu plan` run there. The plan is judged by plan-verdict.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { PlanVerdict, judgePlan } from "./plan-verdict";

/** Where the built toolchain is looked for: SAMPLE_APP_TOOLCHAIN_HOME or ~/.cache/sample-app-toolchain. */
export function defaultToolchainHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SAMPLE_APP_TOOLCHAIN_HOME ?? path.join(os.homedir(), ".cache", "sample-app-toolchain");
}

export interface Toolchain {
  readonly tofu: string;
  readonly cliConfig: string;
}

/** The toolchain's tofu and its CLI config (offline provider mirror), or what is missing. */
export function findToolchain(home: string): Toolchain | { readonly missing: string[] } {
  const tofu = path.join(home, "bin", "tofu");
  const cliConfig = path.join(home, "tofurc");
  const missing = [tofu, cliConfig].filter((file) => !fs.existsSync(file));
  return missing.length > 0 ? { missing } : { tofu, cliConfig };
}

export interface ProofInput {
  readonly toolchain: Toolchain;
  /** Synthesizes the adopted stack into `outdir`; returns the stack's directory. */
  readonly synthesizeInto: (outdir: string) => string;
  /** The existing state; only a copy is used. */
  readonly statePath: string;
  /** `tofu state replace-provider` argument pairs to run on the copy first. */
  readonly providerReplacements: readonly (readonly [string, string])[];
  readonly deliberatelyDestroyed: readonly string[];
}

export type Proof = { readonly ok: true; readonly verdict: PlanVerdict } | { readonly ok: false; readonly reason: string };

export function proveAdoption(input: ProofInput): Proof {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-adopt-proof-"));
  try {
    const stackDir = input.synthesizeInto(path.join(work, "cdktf.out"));
    const stateCopy = path.join(work, "existing.tfstate");
    fs.copyFileSync(input.statePath, stateCopy);
    // The synthesized backend (S3 or local) is replaced by the copy: nothing the user owns is touched.
    const jsonPath = path.join(stackDir, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(jsonPath, "utf8")) as { terraform?: Record<string, unknown> };
    json.terraform = { ...(json.terraform ?? {}), backend: { local: { path: stateCopy } } };
    fs.writeFileSync(jsonPath, JSON.stringify(json, null, 2));

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: input.toolchain.cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      TF_CLI_ARGS: "-no-color",
    };
    const run = (args: string[]): { ok: true; stdout: string } | { ok: false; reason: string } => {
      const result = spawnSync(input.toolchain.tofu, args, { cwd: stackDir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      if (result.error) return { ok: false, reason: `tofu ${args[0]} could not run: ${result.error.message}` };
      if (result.status !== 0) {
        return { ok: false, reason: `tofu ${args.join(" ")} failed (exit ${result.status}):\n${(result.stderr || result.stdout).trim()}` };
      }
      return { ok: true, stdout: result.stdout };
    };
    const steps: string[][] = [
      ["init", "-input=false"],
      ...input.providerReplacements.map(([from, to]) => ["state", "replace-provider", "-auto-approve", from, to]),
      ["plan", "-input=false", "-out=adopt.plan"],
    ];
    for (const step of steps) {
      const result = run(step);
      if (!result.ok) return result;
    }
    const shown = run(["show", "-json", "adopt.plan"]);
    if (!shown.ok) return shown;
    let verdict: PlanVerdict;
    try {
      verdict = judgePlan(JSON.parse(shown.stdout), input.deliberatelyDestroyed);
    } catch (error) {
      return { ok: false, reason: `the plan cannot be read: ${(error as Error).message}` };
    }
    return { ok: true, verdict };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
