/**
 * Where each stack keeps its state, decided at synth from the environment's `s3Backend`
 * and the backend settings file that the bootstrap stack's output produces
 * (`state-backend.json`, or the file named by SAMPLE_APP_STATE_SETTINGS):
 *
 * - no `s3Backend`: local state in `.state/<stack id>.tfstate`;
 * - `s3Backend.bucket` set: that (existing) bucket;
 * - `s3Backend` without a bucket: the bootstrap's bucket from the settings file, and
 *   local state (reported) while no settings file exists, so a fresh clone synthesizes.
 *
 * Emulated environments (`emulator`) talk to the emulator's S3 and use only settings
 * written by a bootstrap against the same emulator; settings for real AWS leave them on
 * local state. A real environment never uses settings that describe an emulator.
 */
import * as fs from "fs";
import { describeFsError } from "../modules/core/output-path.cjs";
import * as path from "path";
import { checkArnPlace } from "../modules/core/aws-facts";
import { BOOTSTRAP_STACK_ID, localStatePath } from "./stack-ids";
import { PROJECT } from "./environments";
import { EnvironmentConfig, StateBackend, StateSettings, checkStateSettings } from "./schema";
import { describeProblem } from "./validate";
import { OVERRIDE_VARIABLES } from "./variables";

/** The backend settings file's default path, relative to the project root. */
export const DEFAULT_STATE_SETTINGS_PATH = "state-backend.json";

/** The settings file as found (or not) for this run. */
export interface StateSettingsFile {
  /** Path as shown to users: relative to the project root when inside it. */
  readonly displayPath: string;
  /** The validated settings, or undefined when there is no file (or it is invalid). */
  readonly settings?: StateSettings;
}

/** Reads and validates the backend settings file; problems name the file and the field. */
export function readStateSettings(env: NodeJS.ProcessEnv, projectRoot: string, problems: string[]): StateSettingsFile {
  const variable = OVERRIDE_VARIABLES.stateSettings;
  const configured = env[variable];
  const file = path.resolve(projectRoot, configured ?? DEFAULT_STATE_SETTINGS_PATH);
  const relative = path.relative(projectRoot, file);
  const displayPath = relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    // The default file may be missing (no bootstrap yet); anything else that stops reading it is an error.
    if (configured !== undefined || (error as NodeJS.ErrnoException).code !== "ENOENT") {
      problems.push(
        `${configured !== undefined ? `${variable} = ${JSON.stringify(configured)}` : displayPath}: cannot read ${file}: ${describeFsError(error)}; ` +
          `write it with npm run state:settings after applying ${BOOTSTRAP_STACK_ID}`,
      );
    }
    return { displayPath };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(`${displayPath}: not valid JSON (${(error as Error).message}); regenerate it with npm run state:settings`);
    return { displayPath };
  }
  const found = checkStateSettings(parsed);
  for (const problem of found) {
    const shown = problem.value === undefined ? "" : ` = ${JSON.stringify(problem.value)}`;
    problems.push(`${displayPath}: ${problem.field || "(file)"}${shown}: ${problem.problem}`);
  }
  return found.length === 0 ? { displayPath, settings: parsed as StateSettings } : { displayPath };
}

/** The backend of one environment's stack; problems are appended to `problems`. */
export function resolveStateBackend(
  name: string,
  stackId: string,
  config: EnvironmentConfig,
  settingsFile: StateSettingsFile,
  problems: string[],
): StateBackend {
  const local = (reason: string): StateBackend => ({ kind: "local", path: localStatePath(stackId), reason });
  const s3 = config.s3Backend;
  if (s3 === undefined) {
    return local("no s3Backend in its configuration");
  }
  // An existing deployment's state stays where it is: `key` names it exactly.
  const key = s3.key ?? `${s3.keyPrefix ?? PROJECT}/${stackId}.tfstate`;
  const emulatorEndpoint = config.emulator?.endpoint;
  if (s3.bucket !== undefined) {
    return {
      kind: "s3",
      bucket: s3.bucket,
      key,
      region: s3.region ?? config.region,
      kmsKeyId: s3.kmsKeyId,
      dynamodbTable: s3.dynamodbTable,
      emulatorEndpoint,
      source: "s3Backend.bucket",
    };
  }
  const { settings, displayPath } = settingsFile;
  if (settings === undefined) {
    return local(`no ${displayPath} yet: apply ${BOOTSTRAP_STACK_ID}, then npm run state:settings; see help`);
  }
  if (settings.emulatorEndpoint !== undefined && emulatorEndpoint === undefined) {
    problems.push(
      describeProblem(
        name,
        "s3Backend",
        s3,
        `the backend settings ${displayPath} describe a bucket in the emulator at ${settings.emulatorEndpoint}; ` +
          `an environment on real AWS cannot keep its state there. Synthesize only emulated environments with these settings, ` +
          `or point ${OVERRIDE_VARIABLES.stateSettings} at the settings of a real bootstrap`,
      ),
    );
    return local("invalid settings");
  }
  if (settings.emulatorEndpoint === undefined && emulatorEndpoint !== undefined) {
    return local(`${displayPath} describes a bucket in real AWS, and this environment talks to the emulator`);
  }
  if (settings.emulatorEndpoint !== undefined && emulatorEndpoint !== undefined && !sameEndpoint(settings.emulatorEndpoint, emulatorEndpoint)) {
    problems.push(
      describeProblem(
        name,
        "emulator.endpoint",
        emulatorEndpoint,
        `the backend settings ${displayPath} were written for the emulator at ${settings.emulatorEndpoint}, whose bucket ` +
          `does not exist in this one; apply ${BOOTSTRAP_STACK_ID} against this emulator and run npm run state:settings again`,
      ),
    );
    return local("invalid settings");
  }
  if (s3.region !== undefined && s3.region !== settings.region) {
    problems.push(
      describeProblem(
        name,
        "s3Backend.region",
        s3.region,
        `the bootstrap bucket ${settings.bucket} is in ${settings.region} (${displayPath}); leave s3Backend.region out or set it to ${settings.region}`,
      ),
    );
  }
  const keyProblem = s3.kmsKeyId === undefined ? undefined : checkArnPlace(s3.kmsKeyId, settings.region, "a KMS key", `the region of the bootstrap bucket ${settings.bucket} (${displayPath}):`);
  if (keyProblem !== undefined) {
    problems.push(describeProblem(name, "s3Backend.kmsKeyId", s3.kmsKeyId, keyProblem));
  }
  return {
    kind: "s3",
    bucket: settings.bucket,
    key,
    region: settings.region,
    kmsKeyId: s3.kmsKeyId ?? settings.kmsKeyId,
    dynamodbTable: s3.dynamodbTable ?? settings.dynamodbTable,
    emulatorEndpoint,
    source: displayPath,
  };
}

function sameEndpoint(a: string, b: string): boolean {
  const normalise = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname === "localhost" ? "127.0.0.1" : parsed.hostname}:${parsed.port}`;
  };
  try {
    return normalise(a) === normalise(b);
  } catch {
    return a === b;
  }
}

/** One line for the synth report: which state a stack uses and why. */
export function describeStateBackend(stackId: string, backend: StateBackend): string {
  if (backend.kind === "local") {
    return `${stackId}: local state ${backend.path.replace(/^(\.\.\/)+/, "")} (${backend.reason})`;
  }
  const details = [
    backend.region,
    backend.kmsKeyId ? `SSE-KMS ${backend.kmsKeyId}` : "encrypted",
    backend.dynamodbTable ? `S3 lock file + DynamoDB lock table ${backend.dynamodbTable}` : "S3 lock file",
    ...(backend.emulatorEndpoint ? [`emulator ${backend.emulatorEndpoint}`] : []),
  ];
  return `${stackId}: S3 state s3://${backend.bucket}/${backend.key} (${details.join(", ")}; from ${backend.source})`;
}
