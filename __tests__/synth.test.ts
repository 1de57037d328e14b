/**
 * The synth entry point as users run it (`npm run synth` = build + node dist/main.js):
 * it writes cdktf.out/, exits non-zero on bad input with a message naming the
 * problem, and leaves the previous output untouched when it fails.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

function runSynth(outdir: string, env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [path.join(ROOT, "dist", "main.js")], {
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

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "build.mjs")], { cwd: ROOT });
  });

  it("writes one stack directory per environment with the stack ids sample-app-<env>", () => {
    const result = runSynth(outdir, {});
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual([
      "sample-app-dev",
      "sample-app-local",
      "sample-app-prod",
      "sample-app-stage",
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["sample-app-dev", "sample-app-local", "sample-app-prod", "sample-app-stage"]);
  });

  it("keeps what tofu init left in a stack directory across re-synths", () => {
    const marker = path.join(outdir, "stacks", "sample-app-local", ".terraform", "marker");
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, "initialised");
    expect(runSynth(outdir, { SAMPLE_APP_ENVIRONMENTS: "local" }).status).toBe(0);
    expect(fs.readFileSync(marker, "utf8")).toBe("initialised");
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ["an unknown environment", { SAMPLE_APP_ENVIRONMENTS: "qa" }, 'SAMPLE_APP_ENVIRONMENTS: unknown environment "qa"'],
    ["a malformed AMI override", { SAMPLE_APP_IMAGE_ID_PROD: "ami-xyz" }, 'SAMPLE_APP_IMAGE_ID_PROD = "ami-xyz": must be an AMI id'],
    ["a malformed provider version", { SAMPLE_APP_AWS_PROVIDER_VERSION: "latest" }, 'SAMPLE_APP_AWS_PROVIDER_VERSION = "latest": must be an exact version'],
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
