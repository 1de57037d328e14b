/**
 * Bad arguments and output paths of the commands other than the synth (whose table is
 * wrong-inputs.test.ts and synth-outdir.test.ts): each case is the input, the exact
 * message, the exit code, and that nothing changed on disk (a listing of the work
 * directory with sizes and sha-256, and `git status` of the checkout).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { treeListing } from "../tree-listing";

const ROOT = path.join(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "wrong-arguments-"));

const listing = (dir: string) => treeListing(dir);

const gitStatus = () => execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: ROOT, encoding: "utf8" });

interface Case {
  readonly name: string;
  readonly command: string[];
  readonly args: () => string[];
  readonly status: number;
  /** The whole of stderr (its first line when `firstLine`). */
  readonly message: () => string;
  readonly firstLine?: boolean;
}

const NODE = process.execPath;
const foreign = path.join(work, "photos");
const file = path.join(work, "notes.txt");
const link = path.join(work, "link");
const outWithStacks = path.join(work, "cdktf.out");

const CASES: Case[] = [
  {
    name: "lock --env with a misspelled environment (named as --env, not the variable it is passed in)",
    command: [NODE, "scripts/ops.mjs", "lock"],
    args: () => ["--env", "prdo"],
    status: 2,
    message: () => 'lock: --env prdo: unknown environment "prdo"; did you mean "prod"?; known environments: dev, stage, prod, local, bootstrap; nothing was written',
  },
  {
    name: "lock --platform with an architecture that does not exist",
    command: [NODE, "scripts/ops.mjs", "lock"],
    args: () => ["--platform", "windows_amd64x"],
    status: 2,
    message: () => 'lock: --platform: "windows_amd64x": unknown architecture "amd64x" (one of 386, amd64, arm, arm64); did you mean windows_amd64?',
  },
  {
    name: "lock --platform with an operating system that does not exist",
    command: [NODE, "scripts/ops.mjs", "lock"],
    args: () => ["--platform", "linux_amd64,linx_arm64"],
    status: 2,
    message: () => 'lock: --platform: "linx_arm64": unknown operating system "linx" (one of darwin, freebsd, linux, openbsd, solaris, windows)',
  },
  {
    name: "lock --dir naming a directory of other files",
    command: [NODE, "scripts/ops.mjs", "lock"],
    args: () => ["--dir", foreign],
    status: 2,
    message: () => `lock: --dir = ${JSON.stringify(foreign)}: is not empty (1 entry: a.jpg) and holds other files than lock files; empty it or name another directory; nothing was touched`,
  },
  {
    name: "lock --dir empty",
    command: [NODE, "scripts/ops.mjs", "lock"],
    args: () => ["--dir", ""],
    status: 2,
    message: () => 'lock: --dir = "": is empty; give it a directory of its own, or leave it out for provider-locks; nothing was touched',
  },
  {
    name: "state:settings --out naming a tracked file of another kind",
    command: [NODE, "scripts/ops.mjs", "state-settings"],
    args: () => ["--out", "package.json"],
    status: 2,
    message: () =>
      `state:settings: --out = "package.json" (${ROOT.replace(/\/$/, "")}/package.json): exists and is not a backend settings file (JSON with bucket and region); it would be overwritten: move it away or name another file; nothing was touched`,
  },
  {
    name: "state:settings --out naming a directory",
    command: [NODE, "scripts/ops.mjs", "state-settings"],
    args: () => ["--out", foreign],
    status: 2,
    message: () => `state:settings: --out = ${JSON.stringify(foreign)}: is a directory; name a file (like state-backend.json); nothing was touched`,
  },
  {
    name: "state:settings --out naming a symbolic link",
    command: [NODE, "scripts/ops.mjs", "state-settings"],
    args: () => ["--out", link],
    status: 2,
    message: () => `state:settings: --out = ${JSON.stringify(link)}: is a symbolic link to ${file} (links are not followed); name the file itself; nothing was touched`,
  },
  {
    name: "state:settings --out without a value",
    command: [NODE, "scripts/ops.mjs", "state-settings"],
    args: () => ["--out"],
    status: 2,
    message: () => "state:settings: --out needs a value",
    firstLine: true,
  },
  {
    name: "state:settings --stack-dir without a value",
    command: [NODE, "scripts/ops.mjs", "state-settings"],
    args: () => ["--stack-dir", "--out", "x.json"],
    status: 2,
    message: () => "state:settings: --stack-dir needs a value (got the option --out; write --stack-dir=--out for a value that starts with a dash)",
    firstLine: true,
  },
  {
    name: "state:settings --stack-dir naming a file",
    command: [NODE, "scripts/ops.mjs", "state-settings"],
    args: () => ["--stack-dir", file],
    status: 2,
    message: () => `state:settings: --stack-dir = ${JSON.stringify(file)}: is a file, not a directory; run: SAMPLE_APP_ENVIRONMENTS=bootstrap npm run synth, then tofu init and tofu apply there`,
  },
  {
    name: "review --out /",
    command: [NODE, "scripts/ops.mjs", "review"],
    args: () => ["dev", "--out", "/"],
    status: 2,
    message: () => 'review: --out = "/": is the file-system root; name a directory of its own; nothing was touched',
  },
  {
    name: "review --out empty",
    command: [NODE, "scripts/ops.mjs", "review"],
    args: () => ["dev", "--out", ""],
    status: 2,
    message: () => 'review: --out = "": is empty; give it a directory of its own, or leave it out for cdktf.out/review; nothing was touched',
  },
  {
    name: "review --out naming a directory of other files",
    command: [NODE, "scripts/ops.mjs", "review"],
    args: () => ["dev", "--out", foreign],
    status: 2,
    message: () =>
      `review: --out = ${JSON.stringify(foreign)}: is not empty (1 entry: a.jpg) and was not written by npm run review (no .sample-app-review.json in it); empty it or name another directory; nothing was touched`,
  },
  {
    name: "review --out naming the home directory",
    command: [NODE, "scripts/ops.mjs", "review"],
    args: () => ["dev", "--out", os.homedir()],
    status: 2,
    message: () => `review: --out = ${JSON.stringify(os.homedir())}: is the home directory; name a directory of its own; nothing was touched`,
  },
  {
    name: "adopt --out naming a file that is not an adoption file",
    command: [NODE, "scripts/ops.mjs", "adopt"],
    args: () => ["--state", path.join(work, "none.tfstate"), "--env", "dev", "--out", "package.json"],
    status: 1,
    message: () =>
      `adopt: --out = "package.json" (${ROOT.replace(/\/$/, "")}/package.json): exists and is not an adoption file (JSON with an "adoption" object); it would be overwritten: move it away or name another file; nothing was touched`,
  },
  {
    name: "scan given a file for its directory",
    command: [NODE, "scripts/ops.mjs", "checkov-scan"],
    args: () => [file],
    status: 2,
    message: () => `scan: scan directory = ${JSON.stringify(file)}: is a file, not a directory; run npm run synth first, or name cdktf.out`,
  },
  {
    name: "scan given the synth output itself (read as its stacks/)",
    command: [NODE, "scripts/ops.mjs", "checkov-scan"],
    args: () => [outWithStacks],
    status: 2,
    message: () => `scan: no synthesized stacks in ${outWithStacks}/stacks; run npm run synth first`,
  },
  {
    name: "scan given two directories",
    command: [NODE, "scripts/ops.mjs", "checkov-scan"],
    args: () => ["a", "b"],
    status: 2,
    message: () => "scan: one directory, got 2: a b",
    firstLine: true,
  },
];

describe("wrong arguments of the commands", () => {
  let before: string;
  beforeAll(() => {
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, "a.jpg"), "jpeg");
    fs.writeFileSync(file, "keep me");
    fs.symlinkSync(file, link);
    fs.mkdirSync(path.join(outWithStacks, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(outWithStacks, "manifest.json"), "{}");
    before = gitStatus();
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, testCase) => {
    const workBefore = listing(work);
    const [command, ...commandArgs] = testCase.command;
    const result = spawnSync(command, [...commandArgs, ...testCase.args()], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERRAFORM_BINARY_NAME: "/bin/false", AWS_EC2_METADATA_DISABLED: "true" },
      timeout: 120000,
    });
    const stderr = testCase.firstLine ? result.stderr.split("\n")[0] : result.stderr.trimEnd();
    expect({ status: result.status, stderr }).toEqual({ status: testCase.status, stderr: testCase.message() });
    expect(listing(work)).toEqual(workBefore);
    expect(gitStatus()).toBe(before);
  });
});
