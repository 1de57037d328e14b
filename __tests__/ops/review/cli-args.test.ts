/**
 * Bad input to npm run review and npm run lock is refused before anything runs, naming the
 * argument: bad usage is exit 2, review's other errors exit 1 (3 means "needs approval"),
 * and neither leaves a report (ops/shared/exit-codes.ts).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT, EXIT_LINES } from "../../../ops/shared/exit-codes";

const ROOT = path.join(__dirname, "..", "..", "..");
const node = (script: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "1", ...env } });

// scripts/ops.mjs bundles ops/review/main.ts into dist/review.js and runs it: bundle once,
// then run the bundle.
beforeAll(() => {
  expect(node("scripts/ops.mjs", ["review", "--help"]).status).toBe(0);
});

describe("npm run review arguments", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "review-args-"));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it.each([
    [["qa"], 'unknown environment "qa"; known environments: dev, stage, prod, local'],
    [[], "which environment? One of: dev, stage, prod, local"],
    [["dev", "prod"], 'one environment per run; got "dev" and "prod"'],
    [["dev", "--fast"], "unknown option --fast"],
    [["dev", "--boot-seconds", "-3"], '--boot-seconds = "-3": must be a whole number of seconds from 0 to 3600'],
    [["dev", "--out"], "--out needs a value"],
    [["dev", "--out", "--strict"], "--out needs a value (got the option --strict"],
    [["dev", "--plan"], "--plan needs a value"],
    [["dev", "--strict", "--strict"], "--strict is given more than once; give it once"],
    [["dev", "--no-synth", "--plan", "x.json"], "--no-synth cannot be used with --plan"],
    [["dev", "--boot-seconds", "9000"], '--boot-seconds = "9000": must be a whole number of seconds from 0 to 3600'],
    [["dev", "--cost-threshold", "cheap"], '--cost-threshold = "cheap": must be a percentage from 0 to 1000, e.g. 20 or 20%'],
    [["dev", "--cost-threshold", "-5"], '--cost-threshold = "-5": must be a percentage from 0 to 1000'],
    [["dev", "--cost-threshold", "1001"], '--cost-threshold = "1001": must be a percentage from 0 to 1000'],
    [["dev", "--cost-threshold"], "--cost-threshold needs a value"],
  ])("%j is refused with exit 2 (bad usage)", (args, message) => {
    const result = node("dist/review.js", args.includes("--out") ? args : [...args, "--out", out]);
    expect(result.stderr).toContain(`review: ${message}`);
    expect(result.status).toBe(EXIT.usage);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("names the missing engine and writes nothing", () => {
    const result = node("dist/review.js", ["dev", "--out", out], { TERRAFORM_BINARY_NAME: path.join(out, "no-such-tofu") });
    expect(result.stderr).toContain(`review: missing toolchain: TERRAFORM_BINARY_NAME=${path.join(out, "no-such-tofu")} is not an executable`);
    expect(result.stderr).toContain("No report was written.");
    expect(result.status).toBe(1);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("--help prints the exit codes of the table it can return and does nothing else", () => {
    const result = node("dist/review.js", ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Exit codes:\n  0  done: nothing needs approval");
    expect(result.stdout).toContain(`\n  1  ${EXIT_LINES[1]}: no review was made`);
    expect(result.stdout).toContain(`\n  2  ${EXIT_LINES[2]}\n`);
    expect(result.stdout).toContain("\n  3  needs approval: disruptive changes");
    expect(result.stdout).not.toMatch(/\n {2}4 {2}/);
    expect(EXIT.needsApproval).toBe(3);
  });
});

describe("npm run lock arguments", () => {
  it.each([
    [["--fast"], "unknown option --fast"],
    [["--offline", "--offline"], "--offline is given more than once; give it once"],
    [["--platform", "linux"], '--platform: "linux" is not a platform like linux_amd64'],
    [["--env"], "--env needs a value"],
  ])("%j is refused with exit 2", (args, message) => {
    const result = node("scripts/ops.mjs", ["lock", ...args]);
    expect(result.stderr).toContain(`lock: ${message}`);
    expect(result.status).toBe(2);
  });
});
