"use strict";

/**
 * packer/build.sh and packer/validate.sh without AWS or a real Packer: option parsing, the
 * Packer lookup, the credentials preflight and the exact packer commands (--dry-run), run
 * against a stand-in `packer` that records any call. Also the user data's syntax and the
 * example manifest's shape against what the template writes.
 */

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync, spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "../..");
const appPackage = require("../../app/package.json");

let sandbox;
/** A PATH with only the tools the scripts use, so a packer installed on this machine is not found. */
let toolsPath;

beforeAll(() => {
  sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-packer-test-"));
  toolsPath = path.join(sandbox, "tools");
  fs.mkdirSync(toolsPath);
  for (const tool of ["bash", "env", "git", "sed", "sort", "head", "dirname", "date", "cat"]) {
    const found = execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
    fs.symlinkSync(found, path.join(toolsPath, tool));
  }
  fs.symlinkSync(process.execPath, path.join(toolsPath, "node"));
});

afterAll(() => {
  fs.rmSync(sandbox, { recursive: true, force: true });
});

/** A toolchain home whose bin/packer reports `version` and records every other call. */
function fakeToolchain(name, version) {
  const home = path.join(sandbox, name);
  fs.mkdirSync(path.join(home, "bin"), { recursive: true });
  const script = [
    "#!/bin/sh",
    `if [ "$1" = version ]; then echo "Packer v${version}"; exit 0; fi`,
    'echo "$*" >> "$(dirname "$0")/calls"',
    "exit 97",
    "",
  ].join("\n");
  fs.writeFileSync(path.join(home, "bin", "packer"), script, { mode: 0o755 });
  return { home, calls: path.join(home, "bin", "calls") };
}

function run(script, args, env = {}) {
  const result = spawnSync("bash", [path.join(ROOT, script), ...args], {
    cwd: os.tmpdir(),
    encoding: "utf8",
    timeout: 20000,
    env: {
      PATH: toolsPath,
      HOME: sandbox,
      SAMPLE_APP_TOOLCHAIN_HOME: path.join(sandbox, "no-toolchain"),
      // No credentials from anywhere: files, instance metadata.
      AWS_CONFIG_FILE: path.join(sandbox, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(sandbox, "no-aws-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("packer/build.sh", () => {
  test("--help explains the modes and needs nothing", () => {
    const { status, stdout } = run("packer/build.sh", ["--help"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^usage: npm run image:build -- \[options\]/);
    for (const flag of ["--base ", "--use-base", "--base-only", "--region REGION", "--copy-to REGIONS", "--dry-run"]) {
      expect(stdout).toContain(flag);
    }
  });

  test.each([
    [["--region"], "error: --region needs a value (see --help)"],
    [["--region", "--base"], "error: --region needs a value (see --help)"],
    [["--region="], "error: --region needs a value (see --help)"],
    [["--region", "US-EAST-1"], "error: --region 'US-EAST-1' is not an AWS region name such as us-east-1 (see --help)"],
    [["--copy-to", "eu-west-1,mars"], "error: --copy-to entry 'mars' is not an AWS region name such as eu-west-1 (see --help)"],
    [["--copy-to", "us-east-1"], "error: --copy-to lists the build region us-east-1 itself (see --help)"],
    [["--base", "--use-base"], "error: --base and --use-base cannot be combined (see --help)"],
    [["--base-only", "--base"], "error: --base-only and --base cannot be combined (see --help)"],
  ])("%j is refused with exit 2", (args, message) => {
    const { status, stderr } = run("packer/build.sh", args);
    expect(stderr.trim()).toBe(message);
    expect(status).toBe(2);
  });

  test("an unknown option is refused with exit 2 and the whole usage", () => {
    const { status, stderr } = run("packer/build.sh", ["--bogus"]);
    expect(stderr.split("\n")[0]).toBe("error: unknown option '--bogus'");
    expect(stderr).toContain("usage: npm run image:build -- [options]");
    expect(status).toBe(2);
  });

  test("without a Packer it says to run npm run toolchain", () => {
    const { status, stderr } = run("packer/build.sh", ["--dry-run"]);
    expect(status).toBe(1);
    expect(stderr).toContain("error: no Packer >= 1.9.4 found.");
    expect(stderr).toContain("run: npm run toolchain");
  });

  test("a Packer older than 1.9.4 is refused by name and version", () => {
    const { home } = fakeToolchain("old", "1.6.6");
    const { status, stderr } = run("packer/build.sh", ["--dry-run"], { SAMPLE_APP_TOOLCHAIN_HOME: home });
    expect(status).toBe(1);
    expect(stderr).toContain(`too old or broken: ${home}/bin/packer (1.6.6)`);
  });

  test("--dry-run --base prints the base build, then the app build on the base image", () => {
    const { home, calls } = fakeToolchain("dry", "1.9.4");
    const { status, stdout } = run("packer/build.sh", ["--dry-run", "--base", "--region", "eu-west-1", "--copy-to", "us-west-2,eu-central-1"], {
      SAMPLE_APP_TOOLCHAIN_HOME: home,
    });
    expect(status).toBe(0);
    const commit = "[0-9a-f]{40}(-dirty)?";
    const common = `-var region=eu-west-1 -var git_commit=${commit} -var app_version=${appPackage.version.replace(/\./g, "\\.")} -var ami_regions=\\\\\\[\\\\"us-west-2\\\\"\\\\,\\\\"eu-central-1\\\\"\\\\\\]`;
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    const packer = `${home}/bin/packer`.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    expect(lines[0]).toMatch(new RegExp(`^would run: ${packer} build -timestamp-ui -only=base\\.amazon-ebs\\.base ${common} packer$`));
    expect(lines[1]).toMatch(
      new RegExp(`^would run: ${packer} build -timestamp-ui -only=app\\.amazon-ebs\\.app ${common} -var base_image=sample-app-base packer$`),
    );
    expect(fs.existsSync(calls)).toBe(false);
  });

  test.each([
    [[], ["-only=app.amazon-ebs.app", "-var base_image=al2023"]],
    [["--use-base"], ["-only=app.amazon-ebs.app", "-var base_image=sample-app-base"]],
    [["--base-only"], ["-only=base.amazon-ebs.base"]],
  ])("--dry-run %j builds %j", (args, expected) => {
    const { home } = fakeToolchain(`mode-${args.join("") || "default"}`, "1.9.4");
    const { status, stdout } = run("packer/build.sh", ["--dry-run", ...args], { SAMPLE_APP_TOOLCHAIN_HOME: home });
    expect(status).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    for (const part of expected) {
      expect(lines[0]).toContain(` ${part}`);
    }
    expect(lines[0]).toContain("-var region=us-east-1 ");
    expect(lines[0]).not.toContain("ami_regions");
  });

  test("without AWS credentials it stops before calling packer build", () => {
    const { home, calls } = fakeToolchain("nocreds", "1.9.4");
    const { status, stderr } = run("packer/build.sh", [], { SAMPLE_APP_TOOLCHAIN_HOME: home });
    expect(stderr).toContain("error: no AWS credentials found");
    expect(stderr).toContain("AWS_PROFILE=<profile>");
    expect(status).toBe(1);
    expect(fs.existsSync(calls)).toBe(false);
  });
});

describe("packer/validate.sh", () => {
  test("takes no arguments", () => {
    const { status, stderr } = run("packer/validate.sh", ["--fix"]);
    expect(status).toBe(2);
    expect(stderr.trim()).toBe("error: validate.sh takes no arguments, got '--fix'\nusage: npm run image:validate   (packer fmt -check -diff, then packer validate, on packer/)");
  });

  test("without a Packer it says to run npm run toolchain", () => {
    const { status, stderr } = run("packer/validate.sh", []);
    expect(status).toBe(1);
    expect(stderr).toContain("run: npm run toolchain");
  });

  test("stops when packer fmt -check fails", () => {
    const { home, calls } = fakeToolchain("fmt", "1.9.4");
    const { status } = run("packer/validate.sh", [], { SAMPLE_APP_TOOLCHAIN_HOME: home });
    expect(status).toBe(97);
    expect(fs.readFileSync(calls, "utf8")).toBe("fmt -check -diff -recursive packer\n");
  });
});

describe("app/user-data.sh", () => {
  const file = path.join(ROOT, "app/user-data.sh");

  test("is a bash script that parses", () => {
    expect(fs.readFileSync(file, "utf8").split("\n")[0]).toBe("#!/usr/bin/env bash");
    const result = spawnSync("bash", ["-n", file], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  test("refuses to run on a machine that is not a sample-app image", () => {
    const { status, stderr } = run("app/user-data.sh", []);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^\[user-data\] ERROR: (must run as root|user app-user does not exist)/);
  });
});

describe("packer/manifest.example.json", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "packer/manifest.example.json"), "utf8"));
  const template = fs.readFileSync(path.join(ROOT, "packer/sample-app.pkr.hcl"), "utf8");

  test("has Packer's manifest shape: two app builds in two runs, the last one last", () => {
    expect(Object.keys(manifest).sort()).toEqual(["builds", "last_run_uuid"]);
    expect(manifest.builds).toHaveLength(2);
    for (const build of manifest.builds) {
      expect(Object.keys(build).sort()).toEqual(
        ["artifact_id", "build_time", "builder_type", "custom_data", "files", "name", "packer_run_uuid"].sort(),
      );
      expect(build).toMatchObject({ name: "app", builder_type: "amazon-ebs", files: null });
      expect(build.artifact_id).toMatch(/^[a-z]{2}(-[a-z]+)+-\d:ami-[0-9a-f]{17}(,[a-z]{2}(-[a-z]+)+-\d:ami-[0-9a-f]{17})*$/);
    }
    const runs = manifest.builds.map((b) => b.packer_run_uuid);
    expect(new Set(runs).size).toBe(2);
    expect(manifest.last_run_uuid).toBe(runs[1]);
    expect(manifest.builds[1].build_time).toBeGreaterThan(manifest.builds[0].build_time);
    const regions = manifest.builds.flatMap((b) => b.artifact_id.split(",").map((a) => a.split(":")[0]));
    expect(new Set(regions)).toEqual(new Set(["us-east-1", "eu-west-1"]));
  });

  test("custom_data has exactly the keys the app build's manifest post-processor writes", () => {
    const block = template.match(/custom_data = \{([^}]*)\}/);
    expect(block).not.toBeNull();
    const keys = [...block[1].matchAll(/^\s*([a-z_]+)\s*=/gm)].map((m) => m[1]).sort();
    expect(keys).toEqual(["app_version", "base_image", "build_time", "git_commit", "image_role"]);
    for (const build of manifest.builds) {
      expect(Object.keys(build.custom_data).sort()).toEqual(keys);
      expect(build.custom_data.image_role).toBe("app");
      expect(build.custom_data.git_commit).toMatch(/^[0-9a-f]{40}$/);
      expect(Date.parse(build.custom_data.build_time) / 1000).toBeLessThanOrEqual(build.build_time);
    }
  });
});

describe("packer templates", () => {
  const templates = fs.readdirSync(path.join(ROOT, "packer")).filter((f) => f.endsWith(".pkr.hcl"));

  test("every file a template names under ${path.root} exists (validate does not check inline commands)", () => {
    const referenced = templates.flatMap((t) =>
      [...fs.readFileSync(path.join(ROOT, "packer", t), "utf8").matchAll(/\$\{path\.root\}\/([\w./-]+)/g)].map((m) => m[1]),
    );
    expect(referenced).toEqual(expect.arrayContaining(["scripts/install-base.sh", "scripts/install-app.sh", "scripts/require-imdsv2.mjs", "../app"]));
    const missing = referenced.filter((p) => p !== "manifest.json" && !fs.existsSync(path.join(ROOT, "packer", p)));
    expect(missing).toEqual([]);
  });

  test("no required_plugins: Packer 1.9.4's built-in amazon plugin needs no packer init", () => {
    for (const t of templates) {
      expect(fs.readFileSync(path.join(ROOT, "packer", t), "utf8")).not.toMatch(/^\s*required_plugins\b/m);
    }
  });
});

describe("packer/scripts/require-imdsv2.mjs", () => {
  const manifest = path.join(ROOT, "packer/manifest.example.json");
  const runScript = (env) =>
    spawnSync(process.execPath, ["--no-warnings", path.join(ROOT, "packer/scripts/require-imdsv2.mjs"), manifest], {
      encoding: "utf8",
      timeout: 20000,
      env: {
        PATH: process.env.PATH,
        HOME: sandbox,
        AWS_CONFIG_FILE: path.join(sandbox, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(sandbox, "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        ...env,
      },
    });

  test("works on the AMIs of this run and build only", () => {
    const other = runScript({ PACKER_RUN_UUID: "00000000-0000-4000-8000-000000000000", PACKER_BUILD_NAME: "app" });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('has no artifact of build "app" in run 00000000-0000-4000-8000-000000000000');

    const last = runScript({ PACKER_RUN_UUID: "b7e9d2a4-1c6f-4a3e-8b5d-2f7c9e0a4d16", PACKER_BUILD_NAME: "app" });
    expect(last.status).toBe(1);
    expect(last.stderr).toContain("cannot set ImdsSupport=v2.0 on us-east-1:ami-0d2b8e6f4a9c17b35: Could not load credentials");
  });

  test("refuses to run outside Packer", () => {
    const result = runScript({});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("PACKER_RUN_UUID and PACKER_BUILD_NAME are not set");
  });
});
