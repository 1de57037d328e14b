/**
 * The CI budget guard (scripts/lib/ci-timing.cjs, run by .ci/run through scripts/lib/ci-steps.sh):
 * a step, the run less the toolchain build, or the whole run over its budget fails CI with a
 * message naming the step, its time and the budget; budgets come from the environment.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const timing = require("../../scripts/lib/ci-timing.cjs");

const ROOT = path.join(__dirname, "..", "..");
const line = (key: string, label: string, seconds: number, status = "ok") => `${key}\t${label}\t${seconds}\t${status}\n`;

describe("budgets", () => {
  it("defaults: e2e 40 min, the run less the toolchain 45 min, the whole run 80 min", () => {
    const budgets = timing.budgetsFrom({});
    expect(budgets.stepBudget("e2e")).toBe(40 * 60);
    expect(budgets.run).toBe(45 * 60);
    expect(budgets.total).toBe(80 * 60);
  });

  it("are read from the environment in minutes, seconds or off", () => {
    const budgets = timing.budgetsFrom({ SAMPLE_APP_CI_BUDGET_E2E: "20", SAMPLE_APP_CI_BUDGET_RUN: "90s", SAMPLE_APP_CI_BUDGET_TOTAL: "off" });
    expect(budgets.stepBudget("e2e")).toBe(20 * 60);
    expect(budgets.run).toBe(90);
    expect(budgets.total).toBeNull();
  });

  it("an empty variable keeps the default", () => {
    expect(timing.budgetsFrom({ SAMPLE_APP_CI_BUDGET_E2E: "" }).stepBudget("e2e")).toBe(40 * 60);
  });

  it.each(["0", "-5", "35 min", "5h", "abc"])("rejects %j naming the variable and what is allowed", (value) => {
    expect(() => timing.budgetsFrom({ SAMPLE_APP_CI_BUDGET_E2E: value })).toThrow(
      `SAMPLE_APP_CI_BUDGET_E2E=${JSON.stringify(value)} is not a budget: use minutes (35), seconds (90s), or off`,
    );
  });

  it("a step without a default budget has none unless the environment sets one", () => {
    expect(timing.budgetsFrom({}).stepBudget("extra")).toBeNull();
    expect(timing.budgetsFrom({ SAMPLE_APP_CI_BUDGET_EXTRA: "1" }).stepBudget("extra")).toBe(60);
  });
});

describe("violations", () => {
  const budgets = timing.budgetsFrom({});

  it("none when every step and both totals are within budget", () => {
    const timings = timing.parseTimings(line("unit", "unit tests", 20) + line("toolchain", "toolchain", 29 * 60) + line("e2e", "end-to-end", 30 * 60));
    expect(timing.violations(timings, budgets)).toEqual([]);
  });

  it("names the last step, its time and its budget when it is over", () => {
    const timings = timing.parseTimings(line("unit", "unit tests", 20) + line("e2e", "end-to-end: npm run test:e2e", 41 * 60 + 2));
    expect(timing.violations(timings, budgets)).toEqual([
      'step "end-to-end: npm run test:e2e" (e2e) took 41 min 02 s, over its budget of 40 min (SAMPLE_APP_CI_BUDGET_E2E)',
    ]);
  });

  it("the run less the toolchain step is held to 45 min; a toolchain build does not count against it", () => {
    const within = timing.parseTimings(line("toolchain", "toolchain", 30 * 60) + line("e2e", "end-to-end", 35 * 60) + line("scan", "scanner", 9 * 60));
    expect(timing.violations(within, budgets)).toEqual([]);
    const over = timing.parseTimings(line("toolchain", "toolchain", 60) + line("e2e", "end-to-end", 35 * 60) + line("scan", "scanner", 9 * 60) + line("synth", "synth", 3 * 60));
    expect(timing.violations(over, budgets)).toEqual([
      'the run less the toolchain step took 47 min 00 s (at step "synth"), over its budget of 45 min (SAMPLE_APP_CI_BUDGET_RUN)',
    ]);
  });

  it("the whole run, toolchain build included, is held to 80 min", () => {
    const timings = timing.parseTimings(line("toolchain", "toolchain", 45 * 60) + line("e2e", "end-to-end", 34 * 60) + line("scan", "scanner", 2 * 60));
    expect(timing.violations(timings, budgets)).toEqual([
      'the whole run took 81 min 00 s (at step "scanner"), over its budget of 80 min (SAMPLE_APP_CI_BUDGET_TOTAL)',
    ]);
  });

  it("a budget turned off is not checked", () => {
    const timings = timing.parseTimings(line("e2e", "end-to-end", 50 * 60));
    expect(timing.violations(timings, timing.budgetsFrom({ SAMPLE_APP_CI_BUDGET_E2E: "off", SAMPLE_APP_CI_BUDGET_RUN: "off" }))).toEqual([]);
  });
});

describe("summary", () => {
  it("every step's time and budget, the totals, a failed step marked", () => {
    const timings = timing.parseTimings(line("unit", "unit tests: npm test", 12.3) + line("toolchain", "toolchain", 100) + line("e2e", "end-to-end", 61, "failed"));
    expect(timing.summaryTable(timings, timing.budgetsFrom({})).split("\n")).toEqual([
      "step                                 time  budget",
      "unit tests: npm test               12.3 s   4 min",
      "toolchain                      1 min 40 s  50 min",
      "end-to-end                         61.0 s  40 min  FAILED",
      "---------------------------------------------------------",
      "total less the toolchain step      73.3 s  45 min",
      "total                          2 min 53 s  80 min",
    ]);
  });

  it("a malformed timings line is an error naming the line", () => {
    expect(() => timing.parseTimings("unit\tunit tests\tsoon\tok\n")).toThrow('timings line 1 is not KEY<TAB>LABEL<TAB>SECONDS<TAB>ok|failed: "unit\\tunit tests\\tsoon\\tok"');
  });
});

describe("ci_step (scripts/lib/ci-steps.sh, as .ci/run uses it)", () => {
  /** Runs a bash script that sources ci-steps.sh; timings go to a fresh file. */
  function ci(script: string, env: Record<string, string> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-steps-"));
    const timings = path.join(dir, "timings.tsv");
    const result = spawnSync("bash", ["-c", `set -euo pipefail; . scripts/lib/ci-steps.sh; ${script}`], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SAMPLE_APP_CI_TIMINGS: timings, ...env },
    });
    return { ...result, timings: fs.existsSync(timings) ? fs.readFileSync(timings, "utf8") : "" };
  }

  it("times each step, records it and prints the summary with the total", () => {
    const result = ci('ci_step unit "unit tests" sleep 0.2; ci_step lint "lint" true; ci_done; echo after');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/==== unit tests: ok in 0\.[2-9] s/);
    expect(result.stdout).toMatch(/^total +\d+\.\d s +80 min$/m);
    expect(result.stdout).toContain("\nafter\n");
    expect(result.timings).toMatch(/^unit\tunit tests\t0\.[2-9]\tok\nlint\tlint\t\d+\.\d\tok\n$/);
  });

  it("a step over its budget fails CI naming the step, its time and the budget, and runs nothing after it", () => {
    const result = ci('ci_step e2e "end-to-end: npm run test:e2e" sleep 1.2; echo after', { SAMPLE_APP_CI_BUDGET_E2E: "1s" });
    expect(result.stderr).toMatch(
      /ci budget exceeded: step "end-to-end: npm run test:e2e" \(e2e\) took 1\.\d s, over its budget of 1 s \(SAMPLE_APP_CI_BUDGET_E2E\)/,
    );
    expect(result.stdout).toMatch(/end-to-end: npm run test:e2e +1\.\d s +1 s$/m);
    expect(result.stdout).not.toContain("after");
    expect(result.status).toBe(1);
  });

  it("the run over its budget fails CI at the step that crossed it", () => {
    const result = ci('ci_step lint "lint" sleep 0.6; ci_step unit "unit tests" sleep 0.6; echo after', { SAMPLE_APP_CI_BUDGET_RUN: "1s" });
    expect(result.stderr).toMatch(/ci budget exceeded: the run less the toolchain step took 1\.\d s \(at step "unit tests"\), over its budget of 1 s \(SAMPLE_APP_CI_BUDGET_RUN\)/);
    expect(result.stdout).not.toContain("after");
    expect(result.status).toBe(1);
  });

  it("a failed command fails CI with its own exit code, its time recorded", () => {
    const result = ci('ci_step lint "lint" bash -c "exit 3"; echo after');
    expect(result.stderr).toContain('CI failed at step "lint" (exit 3)');
    expect(result.stdout).toMatch(/^lint +\d+\.\d s +5 min +FAILED$/m);
    expect(result.stdout).not.toContain("after");
    expect(result.status).toBe(3);
  });

  it("a budget variable that is not a budget fails CI (exit 2) instead of being ignored", () => {
    const result = ci('ci_step lint "lint" true; echo after', { SAMPLE_APP_CI_BUDGET_TOTAL: "eighty" });
    expect(result.stderr).toContain('ci-timing: error: SAMPLE_APP_CI_BUDGET_TOTAL="eighty" is not a budget: use minutes (35), seconds (90s), or off');
    expect(result.stdout).not.toContain("after");
    expect(result.status).toBe(2);
  });
});
