/**
 * Every command a user runs answers --help and -h with its usage on stdout and exit 0,
 * and refuses an unknown flag with its usage on stderr and a non-zero exit, doing
 * nothing else (no synth, no AWS call, no file written in the checkout).
 */
import { execFileSync, spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

// [npm script, command line, a line of its usage]
const COMMANDS: [string, string[], string][] = [
  ["synth", [process.execPath, "dist/main.js"], "Usage: node dist/main.js [--strict]"],
  ["review", [process.execPath, "scripts/review.mjs"], "Usage: npm run review -- <environment> [options]"],
  ["adopt", [process.execPath, "scripts/adopt.mjs"], "usage: npm run adopt -- --state <state file> --env <environment> [--dry-run] [--out <file>]"],
  ["lock", [process.execPath, "scripts/lock.mjs"], "Usage: npm run lock [-- [--env NAME]... [--platform LIST] [--offline] [--dir DIR]]"],
  ["rollout", [process.execPath, "scripts/tool.mjs", "rollout"], "npm run rollout -- <command> <environment> [options]"],
  ["image:prune", [process.execPath, "scripts/tool.mjs", "image-prune"], "npm run image:prune -- --keep N [--region R] [--dry-run]"],
  ["image:promote", [process.execPath, "scripts/tool.mjs", "image-promote"], "npm run image:promote -- <ami-id> --to <environment>"],
  ["scan", [process.execPath, "scripts/tool.mjs", "checkov-scan"], "usage: npm run scan [-- <directory>]"],
  ["state:settings", [process.execPath, "scripts/state-settings.mjs"], "usage: npm run state:settings [-- --stack-dir DIR] [--out FILE]"],
  ["start", [process.execPath, "scripts/local.mjs", "up"], "usage: node scripts/local.mjs <up|down|bench>"],
  ["image:build", ["bash", "packer/build.sh"], "usage: npm run image:build -- [options]"],
  ["image:validate", ["bash", "packer/validate.sh"], "usage: npm run image:validate"],
];

function run(command: string[], args: string[]) {
  const [file, ...rest] = command;
  const result = spawnSync(file, [...rest, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    // No credentials, no toolchain: a command that went further than its arguments would fail differently.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: "true" },
    timeout: 60000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const gitStatus = () => execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: ROOT, encoding: "utf8" });

describe("every command's --help, -h and unknown flags", () => {
  let before: string;
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
    before = gitStatus();
  }, 60000);

  describe.each(COMMANDS)("npm run %s", (_script, command, usage) => {
    it.each(["--help", "-h"])("answers %s with its usage and exit 0", (flag) => {
      const result = run(command, [flag]);
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
      expect(result.stdout).toContain(usage);
    });

    it("refuses an unknown flag with its usage and a non-zero exit", () => {
      const result = run(command, ["--bogus-flag"]);
      expect(result.status).not.toBe(0);
      expect(result.status).not.toBeNull();
      expect(result.stderr).toContain("--bogus-flag");
      expect(result.stderr).toContain(usage);
      expect(result.stdout).toBe("");
    });
  });

  afterAll(() => {
    expect(gitStatus()).toBe(before);
  });
});
