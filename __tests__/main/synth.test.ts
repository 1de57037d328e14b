/**
 * The synth entry point as users run it (`npm run synth` = build + node dist/main.js):
 * it writes cdktf.out/, exits non-zero on bad input with a message naming the
 * problem, and leaves the previous output untouched when it fails.
 */
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS shared with the scripts
const { libraryName } = require("../../scripts/lib/cdk-library.cjs");

const ROOT = path.join(__dirname, "..", "..");

/**
 * The sha256 of every file `npm run synth` publishes on a fresh clone, per library: a move or
 * refactoring that must not change what is deployed proves it byte for byte. After a deliberate
 * change: UPDATE_SYNTH_DIGESTS=1 npx jest __tests__/main/synth.test.ts (and again with
 * SAMPLE_APP_CDK=cdktn), then review the stack.test.ts snapshot diff, which shows what changed.
 */
const DIGESTS_FILE = path.join(ROOT, "__tests__", "fixtures", "synth-digests.json");
const UPDATE_DIGESTS = process.env.UPDATE_SYNTH_DIGESTS === "1";

function runSynth(outdir: string, env: NodeJS.ProcessEnv, args: string[] = []) {
  return spawnSync(process.execPath, [path.join(ROOT, "dist", "main.js"), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
  });
}

function snapshotDir(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else files[child] = fs.readFileSync(path.join(dir, child), "utf8");
    }
  };
  walk("");
  return files;
}

describe("npm run synth", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "synth-"));
  const outdir = path.join(work, "cdktf.out");
  let firstOutput: Record<string, string> = {};

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
  });

  it("writes one stack directory per environment with the stack ids sample-app-<env>, plus the state bootstrap", () => {
    const result = runSynth(outdir, {});
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const stacks = ["sample-app-bootstrap", "sample-app-dev", "sample-app-local", "sample-app-prod", "sample-app-stage"];
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(stacks);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(stacks);
    firstOutput = snapshotDir(outdir);
  });

  it(`publishes every file byte for byte as ${path.relative(ROOT, DIGESTS_FILE)} records for this library`, () => {
    const library: string = libraryName();
    const digests = Object.fromEntries(
      Object.keys(firstOutput)
        .sort()
        .map((file) => [file.split(path.sep).join("/"), createHash("sha256").update(firstOutput[file]).digest("hex")]),
    );
    const committed: Record<string, Record<string, string>> = fs.existsSync(DIGESTS_FILE) ? JSON.parse(fs.readFileSync(DIGESTS_FILE, "utf8")) : {};
    if (UPDATE_DIGESTS) {
      fs.writeFileSync(DIGESTS_FILE, `${JSON.stringify({ ...committed, [library]: digests }, null, 2)}\n`);
      return;
    }
    const recorded = committed[library] ?? {};
    const changed = [...new Set([...Object.keys(recorded), ...Object.keys(digests)])]
      .sort()
      .filter((file) => recorded[file] !== digests[file])
      .map((file) => `${file}: ${recorded[file] === undefined ? "new" : digests[file] === undefined ? "gone" : "changed"}`);
    if (changed.length > 0) {
      throw new Error(
        `npm run synth (${library}) no longer publishes what ${path.relative(ROOT, DIGESTS_FILE)} records:\n  ${changed.join("\n  ")}\n` +
          `If the change is deliberate, review it (the stack.test.ts snapshot diff shows it) and record it: ` +
          `UPDATE_SYNTH_DIGESTS=1 ${library === "cdktn" ? "SAMPLE_APP_CDK=cdktn " : ""}npx jest __tests__/main/synth.test.ts`,
      );
    }
  });

  it("says which state each stack uses: local on a fresh clone, S3 for stage and prod once the bootstrap settings exist", () => {
    const fresh = runSynth(path.join(work, "fresh.out"), { SAMPLE_APP_ENVIRONMENTS: "bootstrap,dev,prod" });
    expect(fresh.status).toBe(0);
    expect(fresh.stdout.split("\n").filter((line) => line.startsWith("  sample-app-"))).toEqual([
      "  sample-app-bootstrap: local state .state/sample-app-bootstrap.tfstate (the bootstrap keeps its own state locally)",
      "  sample-app-dev: local state .state/sample-app-dev.tfstate (no s3Backend in its configuration)",
      "  sample-app-prod: local state .state/sample-app-prod.tfstate (no state-backend.json yet: apply sample-app-bootstrap, then npm run state:settings; see help)",
    ]);
    const settings = path.join(work, "state-backend.json");
    fs.writeFileSync(settings, JSON.stringify({ bucket: "acme-tfstate", region: "us-east-1" }));
    const bootstrapped = runSynth(path.join(work, "bootstrapped.out"), { SAMPLE_APP_ENVIRONMENTS: "prod", SAMPLE_APP_STATE_SETTINGS: settings });
    expect(bootstrapped.status).toBe(0);
    expect(bootstrapped.stdout).toContain(
      `  sample-app-prod: S3 state s3://acme-tfstate/sample-app/sample-app-prod.tfstate (us-east-1, encrypted, S3 lock file; from ${settings})`,
    );
    const backend = JSON.parse(fs.readFileSync(path.join(work, "bootstrapped.out", "stacks", "sample-app-prod", "cdk.tf.json"), "utf8")).terraform.backend;
    expect(backend).toEqual({ s3: { bucket: "acme-tfstate", key: "sample-app/sample-app-prod.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true } });
    fs.rmSync(settings);
    fs.rmSync(path.join(work, "fresh.out"), { recursive: true });
    fs.rmSync(path.join(work, "bootstrapped.out"), { recursive: true });
  });

  it("restores each stack's committed lock file (provider-locks/) into its directory, over whatever tofu left there", () => {
    const locks = path.join(ROOT, "provider-locks");
    const committed = fs.existsSync(locks) ? fs.readdirSync(locks).filter((f) => f.endsWith(".terraform.lock.hcl")) : [];
    const localLock = path.join(outdir, "stacks", "sample-app-local", ".terraform.lock.hcl");
    fs.mkdirSync(path.dirname(localLock), { recursive: true });
    fs.writeFileSync(localLock, "# left by an earlier tofu init -upgrade\n");
    expect(runSynth(outdir, {}).status).toBe(0);
    for (const stack of fs.readdirSync(path.join(outdir, "stacks"))) {
      const lock = path.join(outdir, "stacks", stack, ".terraform.lock.hcl");
      const source = path.join(locks, `${stack}.terraform.lock.hcl`);
      if (committed.includes(`${stack}.terraform.lock.hcl`)) {
        expect(fs.readFileSync(lock, "utf8")).toBe(fs.readFileSync(source, "utf8"));
      } else if (stack !== "sample-app-local") {
        expect(fs.existsSync(lock)).toBe(false);
      }
    }
    expect(committed).toContain("sample-app-local.terraform.lock.hcl");
  });

  it("keeps what tofu init left in a stack directory across re-synths", () => {
    const marker = path.join(outdir, "stacks", "sample-app-local", ".terraform", "marker");
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, "initialised");
    expect(runSynth(outdir, { SAMPLE_APP_ENVIRONMENTS: "local" }).status).toBe(0);
    expect(fs.readFileSync(marker, "utf8")).toBe("initialised");
  });

  it("removes the stack directory of an environment that is no longer configured", () => {
    const stale = path.join(outdir, "stacks", "sample-app-qa");
    fs.mkdirSync(path.join(stale, ".terraform"), { recursive: true });
    fs.writeFileSync(path.join(stale, "cdk.tf.json"), "{}");
    // As an earlier synth left it while qa was configured: listed in synth's marker.
    const markerFile = path.join(outdir, ".sample-app-synth.json");
    const marker = JSON.parse(fs.readFileSync(markerFile, "utf8"));
    fs.writeFileSync(markerFile, JSON.stringify({ ...marker, stacks: [...marker.stacks, "sample-app-qa"] }));
    // A directory under stacks/ that synth did not write is kept.
    const foreign = path.join(outdir, "stacks", "notes");
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, "todo.txt"), "mine");
    const result = runSynth(outdir, { SAMPLE_APP_ENVIRONMENTS: "dev" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("sample-app-qa: its environment is no longer in config/environments.ts");
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.readFileSync(path.join(foreign, "todo.txt"), "utf8")).toBe("mine");
    fs.rmSync(foreign, { recursive: true });
    // The configured stacks that were not selected stay, and the manifest still lists them.
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["sample-app-bootstrap", "sample-app-dev", "sample-app-local", "sample-app-prod", "sample-app-stage"]);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["sample-app-bootstrap", "sample-app-dev", "sample-app-local", "sample-app-prod", "sample-app-stage"]);
    expect(fs.readdirSync(work)).toEqual(["cdktf.out"]);
  });

  it("prints its usage for --help and does nothing else", () => {
    const before = snapshotDir(outdir);
    const result = runSynth(outdir, { SAMPLE_APP_ENVIRONMENTS: "no-such-environment" }, ["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: node dist/main.js");
    expect(snapshotDir(outdir)).toEqual(before);
  });

  it("rejects arguments, with its usage", () => {
    const before = snapshotDir(outdir);
    const result = runSynth(outdir, {}, ["sample-app-prod"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid invocation: unknown argument "sample-app-prod"; the only option is --strict');
    expect(result.stderr).toContain("Usage: node dist/main.js");
    expect(snapshotDir(outdir)).toEqual(before);
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ["an unknown environment", { SAMPLE_APP_ENVIRONMENTS: "qa" }, 'SAMPLE_APP_ENVIRONMENTS: unknown environment "qa"'],
    ["a malformed AMI override", { SAMPLE_APP_IMAGE_ID_PROD: "ami-xyz" }, 'SAMPLE_APP_IMAGE_ID_PROD = "ami-xyz": must be an AMI id'],
    ["a malformed provider version", { SAMPLE_APP_AWS_PROVIDER_VERSION: "latest" }, 'SAMPLE_APP_AWS_PROVIDER_VERSION = "latest": must be an exact version'],
    ["a missing backend settings file", { SAMPLE_APP_STATE_SETTINGS: "/nonexistent/state-backend.json" }, 'SAMPLE_APP_STATE_SETTINGS = "/nonexistent/state-backend.json": cannot read'],
  ])("fails on %s with exit 1, a clear message, and cdktf.out/ untouched", (_case, env, message) => {
    const before = snapshotDir(outdir);
    const result = runSynth(outdir, env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("cdktf.out/ is unchanged");
    expect(snapshotDir(outdir)).toEqual(before);
    expect(fs.readdirSync(work)).toEqual(["cdktf.out"]);
  });
});
