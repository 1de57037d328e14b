/**
 * The project's scripts as users call them: `--help` prints the usage and does no work,
 * and an unknown or empty argument is an error (exit 2) that shows the usage, instead
 * of being ignored (`npm start -- --help` once applied the stack).
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

function run(command: string, args: string[]) {
  const [program, ...programArgs] = command.endsWith(".sh") ? ["bash", command] : [process.execPath, command];
  return spawnSync(program, [...programArgs, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    // A toolchain home that does not exist: nothing may be built or found by accident.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SAMPLE_APP_TOOLCHAIN_HOME: path.join(ROOT, ".no-toolchain") },
  });
}

describe("script arguments", () => {
  it.each<[string, string[], RegExp]>([
    ["emulator/local.mjs", ["up", "--help"], /usage: node emulator\/local\.mjs <up\|down\|bench>/],
    ["emulator/local.mjs", ["--help"], /usage: node emulator\/local\.mjs/],
    ["scripts/toolchain.sh", ["--help"], /--only LIST/],
    ["scripts/e2e.sh", ["--help"], /usage: npm run test:e2e/],
    ["scripts/e2e.sh", ["-t", "x", "-h"], /usage: npm run test:e2e/],
    ["scripts/bench.mjs", ["--help"], /usage: npm run bench/],
    ["scripts/build.mjs", ["--help"], /usage: node scripts\/build\.mjs/],
    ["scripts/lint-shell.sh", ["--help"], /usage: bash scripts\/lint-shell\.sh/],
    ["packer/validate.sh", ["--help"], /usage/],
  ])("%s %j prints its usage and exits 0", (script, args, usage) => {
    const result = run(script, args);
    expect(result.stdout).toMatch(usage);
    expect(result.status).toBe(0);
  });

  it.each<[string, string[], RegExp]>([
    ["emulator/local.mjs", ["up", "--dry-run"], /error: unknown argument "--dry-run"/],
    ["emulator/local.mjs", ["upp"], /error: unknown command "upp"/],
    ["emulator/local.mjs", [], /error: unknown command ""/],
    ["scripts/toolchain.sh", ["--only", ","], /--only lists no step \(choose from: tofu, provider, packer, moto, actionlint, checkov\)/],
    ["scripts/toolchain.sh", ["--only", "tofu,,nope"], /unknown step in --only: 'nope'/],
    ["scripts/toolchain.sh", ["--only"], /--only needs a list/],
    ["scripts/toolchain.sh", ["--fast"], /unknown argument: --fast/],
    ["scripts/bench.mjs", ["--runs", "3"], /error: unknown argument "--runs"/],
    ["scripts/build.mjs", ["--watch"], /error: unknown argument "--watch"/],
    ["scripts/lint-shell.sh", ["--fix"], /takes no arguments, got '--fix'/],
  ])("%s %j is rejected with exit 2", (script, args, message) => {
    const result = run(script, args);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
  });
});
