/**
 * Synthesis refuses an unknown SAMPLE_APP_* variable (config/variables.ts), and the variables a
 * user sets in the shell reach every synth a test, a CI step or a script runs. So every
 * SAMPLE_APP_* name the project's own code reads must be one synthesis accepts: setting
 * `SAMPLE_APP_E2E_WORKERS=3 npm run test:e2e` or `SAMPLE_APP_CI_BUDGET_E2E=60 bash .ci/run` once
 * failed every synth inside with "unknown variable".
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ENVIRONMENTS } from "../../config/environments";
import { OTHER_VARIABLE_FAMILIES, checkVariableNames } from "../../config/variables";

const ROOT = path.join(__dirname, "..", "..");
const NAMES = Object.keys(ENVIRONMENTS);

/** Every SAMPLE_APP_* name in the tracked code outside the tests (which use wrong names on purpose). */
function namesInCode(): Map<string, string> {
  const files = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((file) => /\.(ts|js|mjs|cjs|sh|py)$|^\.ci\/run$/.test(file) && !file.startsWith("__tests__/") && !/\.test\.[jt]s$/.test(file) && !file.startsWith("emulator/moto/tests/"));
  const found = new Map<string, string>();
  for (const file of files) {
    for (const [name] of fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(/\bSAMPLE_APP_[A-Z0-9_]*[A-Z0-9]\b/g)) {
      if (!found.has(name)) found.set(name, file);
    }
  }
  return found;
}

describe("the SAMPLE_APP_* variables", () => {
  it("synthesis accepts every name the project's code reads (or builds from a known prefix)", () => {
    const found = namesInCode();
    // The scan finds what it should: a variable of synth's own, one read by the e2e runner, one by CI's guard.
    expect([...found.keys()]).toEqual(expect.arrayContaining(["SAMPLE_APP_ENVIRONMENTS", "SAMPLE_APP_E2E_WORKERS", "SAMPLE_APP_CI_BUDGET_RUN"]));
    // A prefix the code completes (`SAMPLE_APP_IMAGE_ID_${...}`) ends in "_" and is not matched; its completions are.
    const env = Object.fromEntries([...found.keys()].map((name) => [name, "1"]));
    const problems = checkVariableNames(env, NAMES, NAMES);
    expect(problems.map((problem) => `${problem} (in ${found.get(problem.split(":")[0]) ?? "?"})`)).toEqual([]);
  });

  it.each([["SAMPLE_APP_E2E_WORKERS"], ["SAMPLE_APP_CI_TIMINGS"], ["SAMPLE_APP_CI_BUDGET_E2E"], ["SAMPLE_APP_CI_BUDGET_TOTAL"]])("accepts %s, set in the shell for a test or CI run", (name) => {
    expect(checkVariableNames({ [name]: "3" }, NAMES, NAMES)).toEqual([]);
  });

  it("still refuses a misspelled name, and lists the families among the known ones", () => {
    const [problem] = checkVariableNames({ SAMPLE_APP_E2E_WORKER: "3" }, NAMES, NAMES);
    expect(problem).toContain("SAMPLE_APP_E2E_WORKER: unknown variable; did you mean SAMPLE_APP_E2E_WORKERS?");
    for (const prefix of Object.keys(OTHER_VARIABLE_FAMILIES)) expect(problem).toContain(`${prefix}*`);
  });
});
