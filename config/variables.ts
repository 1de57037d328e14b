/**
 * Every `SAMPLE_APP_*` environment variable the project knows. Synthesis rejects any
 * other `SAMPLE_APP_*` variable, so a misspelled override (say, an image id for an
 * environment that does not exist) fails instead of being ignored. A new variable,
 * whatever reads it, gets a line here (and in docs/configuration.md's table).
 */
import { closest, editDistance } from "../modules/core/suggest";

/** Variables that change what is synthesized. */
export const OVERRIDE_VARIABLES = {
  environments: "SAMPLE_APP_ENVIRONMENTS",
  imageIdPrefix: "SAMPLE_APP_IMAGE_ID_",
  emulatorEndpoint: "SAMPLE_APP_EMULATOR_ENDPOINT",
  awsProviderVersion: "SAMPLE_APP_AWS_PROVIDER_VERSION",
  /** The backend settings file (default state-backend.json), see config/state.ts. */
  stateSettings: "SAMPLE_APP_STATE_SETTINGS",
  /** Synthesize the state bootstrap against this emulator (tests, local trials). */
  bootstrapEmulatorEndpoint: "SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT",
} as const;

/** Variables read by other parts of the project; synthesis accepts them and ignores them. */
export const OTHER_VARIABLES: Readonly<Record<string, string>> = {
  SAMPLE_APP_STRICT: "main.ts: policy strict mode (missing production settings are errors)",
  SAMPLE_APP_SKIP_LOCK_FILES: "main.ts, set by npm run lock (ops/lock/command.ts): synth without restoring the committed lock files (lock writes new ones, even over broken ones)",
  SAMPLE_APP_TOOLCHAIN_HOME: "scripts/toolchain.sh, scripts/node.sh, emulator/local-cloud.js, packer/: the toolchain cache",
  SAMPLE_APP_CDK: "scripts/lib/cdk-library.cjs: the CDK library, cdktf (default) or cdktn, aliased at build and test time",
  SAMPLE_APP_REFRESH_PENDING_SECONDS: "emulator/moto/server.py: emulated instance refresh timing",
  SAMPLE_APP_REFRESH_STEP_SECONDS: "emulator/moto/server.py: emulated instance refresh timing",
  SAMPLE_APP_E2E_WORKERS: "jest.e2e.config.js: how many end-to-end files run at once (e2e/README.md)",
  SAMPLE_APP_E2E_KEEP_PLAN: "e2e/adopt-book.e2e.test.ts: a file to keep the adoption's plan in, for inspection",
  SAMPLE_APP_CI_TIMINGS: "scripts/lib/ci-steps.sh: the file CI records its step times in",
};

/**
 * Families of variables read by other parts of the project, by prefix; synthesis accepts them
 * (their reader checks the rest of the name and the value).
 */
export const OTHER_VARIABLE_FAMILIES: Readonly<Record<string, string>> = {
  SAMPLE_APP_CI_BUDGET_: "scripts/lib/ci-timing.cjs: the budget of a CI step (SAMPLE_APP_CI_BUDGET_<STEP>), of the run and of the total (docs/ci.md)",
};

/** `SAMPLE_APP_IMAGE_ID_<ENV>` for an environment name: upper case, other characters as `_`. */
export function imageIdVariable(environment: string): string {
  return `${OVERRIDE_VARIABLES.imageIdPrefix}${environment.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * Problems with the names of the `SAMPLE_APP_*` variables in `env`: unknown ones, and
 * image ids for environments that do not exist or are not being synthesized.
 */
export function checkVariableNames(env: NodeJS.ProcessEnv, environments: readonly string[], selected: readonly string[]): string[] {
  const problems: string[] = [];
  const imageVariables = new Map(environments.map((name) => [imageIdVariable(name), name]));
  const fixed = [
    OVERRIDE_VARIABLES.environments,
    OVERRIDE_VARIABLES.emulatorEndpoint,
    OVERRIDE_VARIABLES.awsProviderVersion,
    OVERRIDE_VARIABLES.stateSettings,
    OVERRIDE_VARIABLES.bootstrapEmulatorEndpoint,
    ...Object.keys(OTHER_VARIABLES),
  ];
  const families = Object.keys(OTHER_VARIABLE_FAMILIES);
  const known = [...fixed, `${OVERRIDE_VARIABLES.imageIdPrefix}<ENV>`, ...families.map((prefix) => `${prefix}*`)];
  for (const variable of Object.keys(env).sort()) {
    if (!variable.startsWith("SAMPLE_APP_") || fixed.includes(variable) || families.some((prefix) => variable.startsWith(prefix)) || env[variable] === undefined) {
      continue;
    }
    const environment = imageVariables.get(variable);
    if (environment !== undefined) {
      if (!selected.includes(environment)) {
        problems.push(
          `${variable}: environment "${environment}" is not being synthesized (${OVERRIDE_VARIABLES.environments}=${selected.join(",")}); ` +
            `add it there or unset ${variable}`,
        );
      }
      continue;
    }
    if (variable.startsWith(OVERRIDE_VARIABLES.imageIdPrefix)) {
      const suffix = variable.slice(OVERRIDE_VARIABLES.imageIdPrefix.length);
      const suffixes = [...imageVariables.keys()].map((name) => name.slice(OVERRIDE_VARIABLES.imageIdPrefix.length));
      const closestSuffix = closest(suffix, suffixes);
      const match = closestSuffix === undefined ? undefined : `${OVERRIDE_VARIABLES.imageIdPrefix}${closestSuffix}`;
      problems.push(
        `${variable}: no environment matches the suffix "${suffix}"${match ? `; did you mean ${match}?` : ""} ` +
          `Environments: ${environments.map((name) => `${name} (${imageIdVariable(name)})`).join(", ")}`,
      );
      continue;
    }
    const match = closest(variable, [...fixed, ...imageVariables.keys()]);
    problems.push(`${variable}: unknown variable${match ? `; did you mean ${match}?` : ""} Known: ${known.join(", ")}`);
  }
  // Near misses outside the prefix: the wrong case (names are case-sensitive) or a typo in the prefix.
  const candidates = [...fixed, ...imageVariables.keys()];
  for (const variable of Object.keys(env).sort()) {
    if (variable.startsWith("SAMPLE_APP_") || env[variable] === undefined) {
      continue;
    }
    const upper = variable.toUpperCase();
    const sameLetters = candidates.find((candidate) => candidate === upper);
    if (sameLetters !== undefined) {
      problems.push(`${variable}: not read: variable names are case-sensitive; did you mean ${sameLetters}? Rename it`);
      continue;
    }
    if (upper.startsWith("SAMPLE_APP_")) {
      const match = closest(upper, candidates);
      problems.push(`${variable}: not read: SAMPLE_APP_* variables are upper case${match ? `; did you mean ${match}?` : ""} Known: ${known.join(", ")}`);
      continue;
    }
    const [nearest] = candidates
      .map((candidate) => ({ candidate, distance: editDistance(upper, candidate, 2) }))
      .filter(({ distance }) => distance <= 2)
      .sort((a, b) => a.distance - b.distance);
    if (nearest !== undefined) {
      problems.push(`${variable}: not read: it is not a variable this project knows; did you mean ${nearest.candidate}? Rename it (or unset it)`);
    }
  }
  return problems;
}
