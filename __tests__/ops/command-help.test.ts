/**
 * Every command a user runs answers --help and -h with its usage on stdout and exit 0, and
 * refuses an unknown flag (and a flag without its value) with its usage on stderr and exit 2
 * (bad usage), doing nothing else (no synth, no AWS call, no file written in the checkout).
 * The commands in ops/ print the lines of the exit-code table (ops/shared/exit-codes.ts) they
 * can return.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT, EXIT_LINES, ExitCode } from "../../ops/shared/exit-codes";

const ROOT = path.join(__dirname, "..", "..");
const OPS = [process.execPath, "scripts/ops.mjs"];

interface Command {
  /** The npm script. */
  readonly script: string;
  readonly command: string[];
  /** The first line of its usage. */
  readonly usage: string;
  /** Arguments ending in a flag that needs a value, and the message naming it; none when no flag takes one. */
  readonly missingValue?: readonly [string[], string];
  /** The exit codes its --help lists (commands in ops/ only). */
  readonly exitCodes?: readonly ExitCode[];
}

const COMMANDS: Command[] = [
  { script: "synth", command: [process.execPath, "dist/main.js"], usage: "Usage: node dist/main.js [--strict]" },
  {
    script: "review",
    command: [...OPS, "review"],
    usage: "Usage: npm run review -- <environment> [options]",
    missingValue: [["dev", "--out"], "review: --out needs a value"],
    exitCodes: [EXIT.done, EXIT.error, EXIT.usage, EXIT.needsApproval],
  },
  {
    script: "adopt",
    command: [...OPS, "adopt"],
    usage: "usage: npm run adopt -- --state <state file> --env <environment> [--dry-run] [--out <file>]",
    missingValue: [["--env", "dev", "--state"], "adopt: --state needs a value"],
    exitCodes: [EXIT.done, EXIT.error, EXIT.usage],
  },
  {
    script: "lock",
    command: [...OPS, "lock"],
    usage: "usage: npm run lock [-- [--env NAME]... [--platform LIST] [--offline] [--dir DIR]]",
    // --env is repeatable: the "given twice" case takes --dir.
    missingValue: [["--dir"], "lock: --dir needs a value"],
    exitCodes: [EXIT.done, EXIT.error, EXIT.usage],
  },
  {
    script: "rollout",
    command: [...OPS, "rollout"],
    usage: "npm run rollout -- <command> <environment> [options]",
    missingValue: [["watch", "dev", "--interval"], "rollout: --interval needs a value"],
    exitCodes: [EXIT.done, EXIT.error, EXIT.usage, EXIT.timedOut],
  },
  {
    script: "image:prune",
    command: [...OPS, "image-prune"],
    usage: "npm run image:prune -- --keep N [--region R] [--dry-run]",
    missingValue: [["--keep"], "image:prune: --keep needs a value"],
    exitCodes: [EXIT.done, EXIT.error, EXIT.usage],
  },
  {
    script: "image:promote",
    command: [...OPS, "image-promote"],
    usage: "npm run image:promote -- <ami-id> --to <environment>",
    missingValue: [["ami-0123456789abcdef0", "--to"], "image:promote: --to needs a value"],
    exitCodes: [EXIT.done, EXIT.error, EXIT.usage],
  },
  { script: "scan", command: [...OPS, "checkov-scan"], usage: "usage: npm run scan [-- <directory>]", exitCodes: [EXIT.done, EXIT.error, EXIT.usage] },
  {
    script: "state:settings",
    command: [...OPS, "state-settings"],
    usage: "usage: npm run state:settings [-- --stack-dir DIR] [--out FILE]",
    missingValue: [["--out"], "state:settings: --out needs a value"],
    exitCodes: [EXIT.done, EXIT.error, EXIT.usage],
  },
  { script: "start", command: [process.execPath, "emulator/local.mjs", "up"], usage: "usage: node emulator/local.mjs <up|down|bench>" },
  { script: "image:build", command: ["bash", "packer/build.sh"], usage: "usage: npm run image:build -- [options]" },
  { script: "image:validate", command: ["bash", "packer/validate.sh"], usage: "usage: npm run image:validate" },
  { script: "prices:refresh", command: [process.execPath, "scripts/refresh-prices.mjs"], usage: "usage: npm run prices:refresh", missingValue: [["--out"], "--out"] },
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

  describe.each(COMMANDS.map((c) => [c.script, c] as const))("npm run %s", (_script, { command, usage, missingValue, exitCodes }) => {
    it.each(["--help", "-h"])("answers %s with its usage and exit 0", (flag) => {
      const result = run(command, [flag]);
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
      expect(result.stdout).toContain(usage);
    });

    it("refuses an unknown flag with its usage and exit 2", () => {
      const result = run(command, ["--bogus-flag"]);
      expect(result.status).toBe(EXIT.usage);
      expect(result.stderr).toContain("--bogus-flag");
      expect(result.stderr).toContain(usage);
      expect(result.stdout).toBe("");
    });

    if (missingValue !== undefined) {
      it(`refuses ${missingValue[0].join(" ")} (a flag without its value) naming it, exit 2`, () => {
        const result = run(command, missingValue[0]);
        expect({ status: result.status, firstLine: result.stderr.split("\n")[0] }).toEqual({ status: EXIT.usage, firstLine: expect.stringContaining(missingValue[1]) });
        expect(result.stdout).toBe("");
      });
    }

    if (exitCodes !== undefined) {
      it(`--help lists the exit codes ${exitCodes.join(", ")} of the table, and no other`, () => {
        const { stdout } = run(command, ["--help"]);
        const listed = [...stdout.slice(stdout.indexOf("Exit codes:\n")).matchAll(/^ {2}(\d) {2}/gm)].map((match) => Number(match[1]));
        expect(listed).toEqual(exitCodes);
        for (const code of exitCodes) expect(stdout).toContain(`  ${code}  ${EXIT_LINES[code]}`);
      });

      if (missingValue !== undefined) {
        const flag = missingValue[0].at(-1)!;
        it(`refuses ${flag} given twice, exit 2`, () => {
          const result = run(command, [...missingValue[0], "x", flag, "y"]);
          expect({ status: result.status, firstLine: result.stderr.split("\n")[0] }).toEqual({ status: EXIT.usage, firstLine: expect.stringContaining(`${flag} is given more than once`) });
        });
      }
    }
  });

  afterAll(() => {
    expect(gitStatus()).toBe(before);
  });
});

describe("every command's usage is quick", () => {
  // --help and a wrong command line load neither the AWS SDK nor the CDK library (each takes about
  // a second to load; they are loaded once the command line is read): CI gates call these often,
  // and a user who mistyped a flag should not wait.
  const guard = path.join(os.tmpdir(), "usage-load-guard.cjs");
  beforeAll(() => {
    fs.writeFileSync(
      guard,
      `const Module = require("module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/^(@aws-sdk\\/|cdktf$|cdktn$|@cdktf\\/provider-aws|@cdktn\\/provider-aws)/.test(request)) {
    process.stderr.write("loaded " + request + "\\n");
    process.exit(99);
  }
  return load.call(this, request, ...rest);
};
`,
    );
  });

  it.each(COMMANDS.filter(({ command }) => command[1] === "scripts/ops.mjs").map(({ script, command }) => [script, command] as const))(
    "npm run %s answers --help and an unknown flag without loading @aws-sdk/*, cdktf or the provider",
    (_script, command) => {
      for (const args of [["--help"], ["--bogus-flag"]]) {
        // Through the launcher (it rebuilds a stale bundle); the guard is preloaded in the bundle's process too.
        const result = spawnSync(command[0], [...command.slice(1), ...args], {
          cwd: ROOT,
          encoding: "utf8",
          env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: `-r ${guard}` },
        });
        expect({ args, status: result.status, loaded: result.stderr.match(/^loaded .*/m)?.[0] }).toEqual({ args, status: args[0] === "--help" ? 0 : EXIT.usage, loaded: undefined });
      }
    },
  );
});
