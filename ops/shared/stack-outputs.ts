/**
 * Where operator tools (npm run rollout, npm run image:prune) find a deployed
 * environment: its stack outputs from the applied state, its region, and the AWS
 * endpoint to talk to (the emulator for emulated environments).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OVERRIDE_VARIABLES } from "../../config/variables";
import type { ResolvedEnvironment } from "../../config/schema";
import { PROJECT_ROOT } from "../../modules/core/project-root";
import { EXIT } from "./exit-codes";

/**
 * A problem the user can fix (no applied state, nothing in progress, an AWS refusal); tools
 * print the message alone and exit EXIT.error (bad usage is a UsageError, ops/shared/args.ts).
 */
export class OperatorError extends Error {
  constructor(
    message: string,
    public readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = "OperatorError";
  }
}

/** The outputs the tools read (see stacks/sample-app-stack.ts). */
export interface StackOutputs {
  readonly asg_name: string;
  readonly launch_template_id: string;
  readonly target_group_arn?: string;
  readonly alb_url?: string;
  /** Comma-separated; absent in stacks applied before the rollout alarms existed. */
  readonly rollout_alarm_names?: string;
  readonly [name: string]: string | undefined;
}

export interface OutputSource {
  /** Read this state file instead of the environment's default. */
  readonly stateFile?: string;
  /** Directory holding `cdktf.out/`. @default the project root */
  readonly projectRoot?: string;
}

/** A path as the user would type it: relative below the working directory, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function fromStateJson(text: string, where: string, stackId: string): StackOutputs {
  let state: { outputs?: Record<string, { value?: unknown }>; resources?: unknown[] };
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new OperatorError(`${where} is not a Terraform state file (${(error as Error).message})`);
  }
  const outputs = Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, typeof v.value === "string" ? v.value : undefined]));
  if (!outputs.asg_name || !outputs.launch_template_id) {
    throw new OperatorError(
      `${stackId} has no applied state: ${where} has no asg_name / launch_template_id outputs (was the stack applied, or destroyed since?)`,
    );
  }
  return outputs as StackOutputs;
}

/**
 * The stack outputs of an applied environment: from its local state file, or with
 * `tofu output -json` in `cdktf.out/stacks/<stack>` for remote (S3) state.
 */
export function readStackOutputs(environment: ResolvedEnvironment, stackId: string, source: OutputSource = {}): StackOutputs {
  const root = source.projectRoot ?? PROJECT_ROOT;
  const stackDir = path.join(root, "cdktf.out", "stacks", stackId);
  const backend = environment.backend;
  if (source.stateFile || backend.kind === "local") {
    // A local backend's path is relative to the stack's directory, where tofu runs.
    const file = path.resolve(source.stateFile ?? path.resolve(stackDir, backend.kind === "local" ? backend.path : "."));
    if (!fs.existsSync(file)) {
      throw new OperatorError(
        `environment "${environment.name}" has no applied state: ${displayPath(file)} does not exist. ` +
          `Apply the stack first (tofu apply in cdktf.out/stacks/${stackId}${environment.config.emulator ? ", or npm start" : ""}).`,
      );
    }
    return fromStateJson(fs.readFileSync(file, "utf8"), file, stackId);
  }
  if (!fs.existsSync(path.join(stackDir, ".terraform"))) {
    throw new OperatorError(
      `environment "${environment.name}" keeps its state in S3 (s3://${backend.bucket}/${backend.key}); run npm run synth and tofu init in ${path.relative(process.cwd(), stackDir)} first, so tofu can read its outputs`,
    );
  }
  const toolchainTofu = path.join(process.env.SAMPLE_APP_TOOLCHAIN_HOME ?? path.join(os.homedir(), ".cache", "sample-app-toolchain"), "bin", "tofu");
  const tofu = process.env.TOFU ?? (fs.existsSync(toolchainTofu) ? toolchainTofu : "tofu");
  const result = spawnSync(tofu, ["output", "-json"], { cwd: stackDir, encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new OperatorError(`tofu output -json in ${stackDir} failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
  const outputs = JSON.parse(result.stdout || "{}") as Record<string, { value?: unknown }>;
  return fromStateJson(JSON.stringify({ outputs }), `the state of ${stackId} (s3://${backend.bucket}/${backend.key})`, stackId);
}

/** Endpoint and credentials for the AWS SDK clients of an environment. */
export interface AwsTarget {
  readonly region: string;
  /** Set for emulated environments. */
  readonly endpoint?: string;
}

/**
 * The emulator endpoint for an emulated environment: SAMPLE_APP_EMULATOR_ENDPOINT, else
 * the one `npm start` recorded in .state/emulator.json, else the config's.
 */
export function awsTargetFor(environment: ResolvedEnvironment, env: NodeJS.ProcessEnv = process.env, projectRoot = PROJECT_ROOT): AwsTarget {
  const region = environment.config.region;
  if (!environment.config.emulator) {
    return { region };
  }
  const fromEnv = env[OVERRIDE_VARIABLES.emulatorEndpoint];
  if (fromEnv) {
    return { region, endpoint: fromEnv };
  }
  const recorded = path.join(projectRoot, ".state", "emulator.json");
  if (fs.existsSync(recorded)) {
    const endpoint = JSON.parse(fs.readFileSync(recorded, "utf8")).endpoint;
    if (typeof endpoint === "string") {
      return { region, endpoint };
    }
  }
  return { region, endpoint: environment.config.emulator.endpoint };
}

/** Client configuration for @aws-sdk/client-* from a target. */
export function clientConfig(target: AwsTarget): Record<string, unknown> {
  return target.endpoint
    ? { region: target.region, endpoint: target.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } }
    : { region: target.region };
}
