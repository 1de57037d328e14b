/**
 * npm run lock on this machine (no registry): it records what the local provider mirror holds
 * and says so, the result is exactly the committed lock file of sample-app-local, and a stack
 * whose provider is neither reachable nor mirrored fails with its name and keeps its file.
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
    spawnSync(process.execPath, [path.join(harness.ROOT, "scripts", "lock.mjs"), "--dir", dir, ...args], {
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

  it("fails for a stack whose provider is neither reachable nor mirrored, naming it, and leaves its file alone", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-locks-"));
    fs.writeFileSync(path.join(dir, "sample-app-dev.terraform.lock.hcl"), "# kept\n");
    const result = lock(["--env", "dev"], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/✗ sample-app-dev: registry\.opentofu\.org\/hashicorp\/aws 6\.25\.0 could not be locked\. Registry: .+\. Local mirror .*does not hold it/);
    expect(result.stderr).toContain("lock: 1 of 1 stacks not locked: sample-app-dev");
    expect(fs.readFileSync(path.join(dir, "sample-app-dev.terraform.lock.hcl"), "utf8")).toBe("# kept\n");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
