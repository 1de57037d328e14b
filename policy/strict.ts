/**
 * Strict mode: violations that only lack a setting the repo cannot ship (a certificate
 * ARN, a state bucket) become errors. The review command and the pull-request workflow
 * use it before any apply to a production environment.
 */
export const STRICT_VARIABLE = "SAMPLE_APP_STRICT";
export const STRICT_FLAG = "--strict";

const TRUE_VALUES = ["1", "true", "yes"];
const FALSE_VALUES = ["", "0", "false", "no"];

/** Whether the run is strict; throws on a value of SAMPLE_APP_STRICT it does not understand. */
export function isStrict(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const raw = env[STRICT_VARIABLE];
  const value = raw?.trim().toLowerCase();
  if (value !== undefined && !TRUE_VALUES.includes(value) && !FALSE_VALUES.includes(value)) {
    throw new Error(`${STRICT_VARIABLE} = ${JSON.stringify(raw)}: must be 1, true or yes (strict), or 0, false, no or empty (not strict)`);
  }
  return argv.includes(STRICT_FLAG) || (value !== undefined && TRUE_VALUES.includes(value));
}
