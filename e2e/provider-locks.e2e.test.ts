/**
 * npm run lock on this machine (no registry): it records what the local provider mirror holds
 * and says so, the result is exactly the committed lock file of sample-app-local, and a stack
 * whose provider is neither reachable nor mirrored fails with its name (exit 1) and nothing is
 * written. Then what tofu init does with a lock file that does not match.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

describe("npm run lock", () => {
  const toolchain = harness.findToolchain();
  const lock = (args: string[], dir: string) =>
    spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "lock", "--dir", dir, ...args], {
      cwd: harness.ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        TERRAFORM_BINARY_NAME: toolchain.tofu,
        // No registry, whatever this machine can reach.
        HTTPS_PROXY: "http://127.0.0.1:9",
        HTTP_PROXY: "http://127.0.0.1:9",
        NO_PROXY: "127.0.0.1,localhost",
      },
    });

  it("offline, records the local mirror's provider for sample-app-local, says so, and matches the committed file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-locks-"));
    const result = lock(["--env", "local"], dir);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    expect(result.stdout).toMatch(/✓ sample-app-local: registry\.opentofu\.org\/hashicorp\/aws \S+ locked OFFLINE, from the local provider mirror .* for linux_amd64 only/);
    const written = fs.readFileSync(path.join(dir, "sample-app-local.terraform.lock.hcl"), "utf8");
    expect(written).toContain('provider "registry.opentofu.org/hashicorp/aws"');
    expect(written).toMatch(/h1:[A-Za-z0-9+/=]{44}/);
    expect(written).toBe(fs.readFileSync(path.join(harness.ROOT, "provider-locks", "sample-app-local.terraform.lock.hcl"), "utf8"));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fails for a stack whose provider is neither reachable nor mirrored: names what is pinned and what the mirror holds, exit 1, writes nothing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-locks-"));
    fs.writeFileSync(path.join(dir, "sample-app-dev.terraform.lock.hcl"), "# kept\n");
    const result = lock(["--env", "dev", "--env", "local"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/✗ sample-app-dev: pins registry\.opentofu\.org\/hashicorp\/aws 6\.25\.0, which cannot be locked here\.\n {4}registry: .*connect.*\n/);
    expect(result.stderr).toContain(`local mirror ${path.join(path.dirname(toolchain.cliConfig), "plugins")}: holds registry.opentofu.org/hashicorp/aws ${harness.VERSIONS.awsProvider.version} (linux_amd64)`);
    expect(result.stderr).toContain("To lock it, run where registry.opentofu.org is reachable: npm run lock -- --env dev");
    expect(result.stderr).toContain("lock: 1 of 2 stacks not locked (sample-app-dev); nothing was written");
    expect(fs.readdirSync(dir)).toEqual(["sample-app-dev.terraform.lock.hcl"]);
    expect(fs.readFileSync(path.join(dir, "sample-app-dev.terraform.lock.hcl"), "utf8")).toBe("# kept\n");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/**
 * The committed lock file is what tofu init checks the provider against: one that does not
 * match the configured provider (another build's checksum, another version) stops init with
 * an error instead of installing something nobody reviewed.
 */
describe("a lock file that does not match the configured provider", () => {
  const toolchain = harness.findToolchain();
  let work: string;
  let stackDir: string;

  beforeAll(() => {
    harness.buildApp();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-lock-mismatch-"));
    // init never calls AWS: no emulator needed.
    stackDir = harness.synthLocal(path.join(work, "cdktf.out"), { endpoint: "http://127.0.0.1:9" });
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  /** Provider binaries tofu init put in the working directory. */
  const installedProviders = (dir: string) => {
    const providers = path.join(dir, ".terraform", "providers");
    if (!fs.existsSync(providers)) return [];
    return (fs.readdirSync(providers, { recursive: true }) as string[]).filter((f) => path.basename(f).startsWith("terraform-provider-aws"));
  };
  const initWith = (name: string, edit: (lockFile: string) => string) => {
    const dir = path.join(work, name);
    fs.cpSync(stackDir, dir, { recursive: true });
    const lockFile = path.join(dir, ".terraform.lock.hcl");
    fs.writeFileSync(lockFile, edit(fs.readFileSync(lockFile, "utf8")));
    const result = harness.tofu(toolchain, ["init", "-input=false"], dir, { allowExit: [0, 1] });
    return { ...result, output: `${result.stdout}\n${result.stderr}`.replace(/\s+/g, " "), installed: installedProviders(dir) };
  };

  it("the restored lock file is the committed one, and tofu init accepts it", () => {
    const committed = fs.readFileSync(path.join(harness.ROOT, "provider-locks", "sample-app-local.terraform.lock.hcl"), "utf8");
    expect(fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8")).toBe(committed);
    const result = initWith("same", (text) => text);
    expect(result.status).toBe(0);
    expect(result.output).toContain("Reusing previous version of hashicorp/aws from the dependency lock file");
    expect(result.installed).toHaveLength(1);
  });

  it("another checksum (a different build of the same version): init fails, nothing installed", () => {
    const result = initWith("checksum", (text) => text.replace(/h1:[A-Za-z0-9+/=]{44}/, "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    expect(result.status).toBe(1);
    expect(result.output).toContain("Error: Failed to install provider");
    expect(result.output).toContain(
      `the local package for registry.opentofu.org/hashicorp/aws ${harness.VERSIONS.awsProvider.version} doesn't match any of the checksums previously recorded in the dependency lock file`,
    );
    expect(result.installed).toEqual([]);
  });

  it("another version (dev's 6.25.0): init fails naming both, nothing installed", () => {
    const result = initWith("version", (text) => text.split(harness.VERSIONS.awsProvider.version).join("6.25.0"));
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      `locked provider registry.opentofu.org/hashicorp/aws 6.25.0 does not match configured version constraint ${harness.VERSIONS.awsProvider.version}`,
    );
    expect(result.installed).toEqual([]);
  });
});

describe("npm run review of an environment whose pinned provider this machine cannot obtain", () => {
  it("dev (6.25.0, not in the mirror, no registry): init fails naming the pin, the mirror's version and where to plan; no report", () => {
    const toolchain = harness.findToolchain();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-review-unavailable-"));
    const result = spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "ops.mjs"), "review", "dev", "--out", path.join(work, "review")], {
      cwd: harness.ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        CI: "1",
        CDKTF_OUTDIR: path.join(work, "cdktf.out"),
        TERRAFORM_BINARY_NAME: toolchain.tofu,
        TF_CLI_CONFIG_FILE: toolchain.cliConfig,
        HTTPS_PROXY: "http://127.0.0.1:9",
        HTTP_PROXY: "http://127.0.0.1:9",
        NO_PROXY: "127.0.0.1,localhost",
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/review: tofu init failed in .*sample-app-dev:\n {4}Error: Failed to resolve provider packages/);
    expect(result.stderr).toContain(
      `The stack pins registry.opentofu.org/hashicorp/aws 6.25.0, which the engine could not obtain here. Without registry access only the local provider mirror (npm run toolchain) is available, and it holds ${harness.VERSIONS.awsProvider.version}.`,
    );
    expect(result.stderr).toContain("No report was written.");
    expect(fs.existsSync(path.join(work, "review")) ? fs.readdirSync(path.join(work, "review")) : []).toEqual([]);
    fs.rmSync(work, { recursive: true, force: true });
  });
});
