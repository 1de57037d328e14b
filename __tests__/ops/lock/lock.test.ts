/**
 * npm run lock without the real toolchain: a fake engine records every command it is given,
 * and a fake provider mirror holds only the locally built provider. This pins down the
 * registry path that cannot run on a machine without registry access (the three platforms,
 * in each stack's directory), the offline fallback, and the all-or-nothing failure with
 * its message and exit status 1.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..", "..");
const OPS = path.join(ROOT, "scripts", "ops.mjs");
const LOCAL_PROVIDER = JSON.parse(fs.readFileSync(path.join(ROOT, "toolchain.json"), "utf8")).awsProvider.version as string;
const SOURCE = "registry.opentofu.org/hashicorp/aws";

// What tofu 1.10 prints for `providers lock` when the registry's name does not resolve.
const OFFLINE_STDERR = `
Error: Could not retrieve providers for locking

OpenTofu failed to fetch the requested providers for linux_amd64 in order to
calculate their checksums: some providers could not be installed:
- registry.opentofu.org/hashicorp/aws: could not connect to
registry.opentofu.org: failed to request discovery document: Get
"https://registry.opentofu.org/.well-known/terraform.json": dial tcp: lookup
registry.opentofu.org on 10.255.255.53:53: no such host.
`;

// A stand-in for tofu: logs its arguments and directory, then behaves as FAKE_REGISTRY says
// ("ok": writes a lock file naming the platforms it was asked for; "offline": fails like
// tofu without network). With -fs-mirror it writes a lock file, unless FAKE_MIRROR=broken.
const FAKE_ENGINE = `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_ENGINE_LOG, JSON.stringify({ args, cwd: process.cwd(), hadLockFile: fs.existsSync(".terraform.lock.hcl") }) + "\\n");
const fromMirror = args.some((a) => a.startsWith("-fs-mirror="));
if (!fromMirror && process.env.FAKE_REGISTRY === "offline") {
  process.stderr.write(${JSON.stringify(OFFLINE_STDERR)});
  process.exit(1);
}
if (fromMirror && process.env.FAKE_MIRROR === "broken") {
  process.stderr.write("Error: Failed to install provider\\n\\nthe mirror is corrupt\\n");
  process.exit(1);
}
const platforms = args.filter((a) => a.startsWith("-platform=")).map((a) => a.slice(10));
fs.writeFileSync(".terraform.lock.hcl", "# " + (fromMirror ? "mirror" : "registry") + " " + platforms.join(",") + "\\n");
`;

describe("npm run lock", () => {
  let work: string;
  let engine: string;
  let log: string;
  let home: string;
  let out: string;

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
    engine = path.join(work, "fake-tofu");
    fs.writeFileSync(engine, FAKE_ENGINE, { mode: 0o755 });
    log = path.join(work, "engine.log");
    home = path.join(work, "toolchain");
    fs.mkdirSync(path.join(home, "plugins", ...SOURCE.split("/"), LOCAL_PROVIDER, "linux_amd64"), { recursive: true });
    out = path.join(work, "locks");
    fs.mkdirSync(out);
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const lock = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [OPS, "lock", "--dir", out, ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, TERRAFORM_BINARY_NAME: engine, SAMPLE_APP_TOOLCHAIN_HOME: home, FAKE_ENGINE_LOG: log, ...env },
    });
  const calls = () =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as { args: string[]; cwd: string; hadLockFile: boolean })
      : [];

  it("with registry access, locks every stack from its registry for linux_amd64, linux_arm64 and darwin_arm64, in the stack's directory", () => {
    const result = lock(["--env", "dev", "--env", "prod"], { FAKE_REGISTRY: "ok" });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(calls()).toEqual(
      ["sample-app-dev", "sample-app-prod"].map((stack) => ({
        args: ["providers", "lock", "-platform=linux_amd64", "-platform=linux_arm64", "-platform=darwin_arm64"],
        cwd: expect.stringMatching(new RegExp(`/stacks/${stack}$`)),
        // Locked from nothing, not merged into the lock file a synth restored.
        hadLockFile: false,
      })),
    );
    expect(result.stdout).toContain(`✓ sample-app-dev: ${SOURCE} 6.25.0 locked from the registry for linux_amd64, linux_arm64, darwin_arm64 -> `);
    expect(fs.readdirSync(out).sort()).toEqual(["sample-app-dev.terraform.lock.hcl", "sample-app-prod.terraform.lock.hcl"]);
    expect(fs.readFileSync(path.join(out, "sample-app-dev.terraform.lock.hcl"), "utf8")).toBe("# registry linux_amd64,linux_arm64,darwin_arm64\n");
  });

  it("records the platforms given with --platform", () => {
    const result = lock(["--env", "stage", "--platform", "linux_amd64,windows_amd64"], { FAKE_REGISTRY: "ok" });
    expect(result.status).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([["providers", "lock", "-platform=linux_amd64", "-platform=windows_amd64"]]);
  });

  it("offline, falls back to the local mirror for a provider it holds, for the platforms it holds, and says so", () => {
    const result = lock(["--env", "local"], { FAKE_REGISTRY: "offline" });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(calls().map((c) => c.args)).toEqual([
      ["providers", "lock", "-platform=linux_amd64", "-platform=linux_arm64", "-platform=darwin_arm64"],
      ["providers", "lock", `-fs-mirror=${path.join(home, "plugins")}`, "-platform=linux_amd64"],
    ]);
    expect(result.stdout).toContain(
      `✓ sample-app-local: ${SOURCE} ${LOCAL_PROVIDER} locked OFFLINE, from the local provider mirror ${path.join(home, "plugins")}, for linux_amd64 only ` +
        `(registry: registry.opentofu.org/hashicorp/aws: could not connect to registry.opentofu.org: failed to request discovery document: ` +
        `Get "https://registry.opentofu.org/.well-known/terraform.json": dial tcp: lookup registry.opentofu.org on 10.255.255.53:53: no such host.); ` +
        `re-run with registry access to record linux_amd64, linux_arm64, darwin_arm64`,
    );
    expect(fs.readFileSync(path.join(out, "sample-app-local.terraform.lock.hcl"), "utf8")).toBe("# mirror linux_amd64\n");
  });

  it("--offline never asks the registry", () => {
    const result = lock(["--env", "local", "--offline"], { FAKE_REGISTRY: "ok" });
    expect(result.status).toBe(0);
    expect(calls().map((c) => c.args[2])).toEqual([`-fs-mirror=${path.join(home, "plugins")}`]);
    expect(result.stdout).toContain("(registry: not asked (--offline))");
  });

  it("a pinned provider neither reachable nor mirrored: says what is pinned, what the mirror holds, what to run; writes nothing; exit 1", () => {
    fs.writeFileSync(path.join(out, "sample-app-local.terraform.lock.hcl"), "# kept\n");
    const result = lock(["--env", "dev", "--env", "local"], { FAKE_REGISTRY: "offline" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      [
        `✗ sample-app-dev: pins ${SOURCE} 6.25.0, which cannot be locked here.`,
        `    registry: registry.opentofu.org/hashicorp/aws: could not connect to registry.opentofu.org: failed to request discovery document: Get "https://registry.opentofu.org/.well-known/terraform.json": dial tcp: lookup registry.opentofu.org on 10.255.255.53:53: no such host.`,
        `    local mirror ${path.join(home, "plugins")}: holds ${SOURCE} ${LOCAL_PROVIDER} (linux_amd64)`,
        `    To lock it, run where registry.opentofu.org is reachable: npm run lock -- --env dev (records linux_amd64, linux_arm64, darwin_arm64), then commit provider-locks/sample-app-dev.terraform.lock.hcl.`,
      ].join("\n"),
    );
    expect(result.stderr).toContain(
      `lock: 1 of 2 stacks not locked (sample-app-dev); nothing was written, ${out}/ is as it was. ` +
        "To write only the stacks that can be locked here: npm run lock -- --env local",
    );
    // sample-app-local could be locked, but all or nothing: its file is untouched too.
    expect(fs.readdirSync(out)).toEqual(["sample-app-local.terraform.lock.hcl"]);
    expect(fs.readFileSync(path.join(out, "sample-app-local.terraform.lock.hcl"), "utf8")).toBe("# kept\n");
    expect(result.stdout).not.toContain("✓");
  });

  it("an empty mirror is named as such", () => {
    fs.rmSync(path.join(home, "plugins"), { recursive: true });
    const result = lock(["--env", "dev"], { FAKE_REGISTRY: "offline" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`: holds no version of ${SOURCE}\n`);
  });

  it("an engine failure other than an unavailable provider is exit 1, nothing written", () => {
    const result = lock(["--env", "local", "--env", "dev"], { FAKE_REGISTRY: "offline", FAKE_MIRROR: "broken" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`✗ sample-app-local: locking from the local mirror ${path.join(home, "plugins")} failed: Failed to install provider: the mirror is corrupt`);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("a missing engine is exit 1 before anything runs", () => {
    const result = lock(["--env", "dev"], { TERRAFORM_BINARY_NAME: path.join(work, "no-such-tofu") });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`lock: missing toolchain: TERRAFORM_BINARY_NAME=${path.join(work, "no-such-tofu")}: not found; nothing was written\n`);
    expect(calls()).toEqual([]);
  });

  it("an unknown environment is a bad --env argument: exit 2, named as --env, nothing written", () => {
    const result = lock(["--env", "qa"], { FAKE_REGISTRY: "ok" });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('lock: --env qa: unknown environment "qa"; known environments: dev, stage, prod, local, bootstrap; nothing was written\n');
    expect(calls()).toEqual([]);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
