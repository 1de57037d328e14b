/**
 * Stock `TERRAFORM_BINARY_NAME=tofu npm run cdk -- diff sample-app-local` on a fresh checkout:
 * the CLI of the library SAMPLE_APP_CDK selects (`cdktf diff`, or `cdktn diff` under cdktn; CI
 * runs this file under both),
 * with no registry reachable: the synth restores the committed lock file, cdktf's lock-file
 * check finds the provider under the source the stack spells out, so cdktf runs a plain
 * `init` (no `providers lock`, no `-upgrade`) and tofu reuses the locked provider. Twice in
 * a row, because a lock file that tofu rewrote or cdktf did not recognise would show up on
 * the second run.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harness = require("./harness");

const STACK = "sample-app-local";

/** The files a fresh clone has: tracked and not-ignored ones, without build output or state. */
function freshCheckout(into: string): void {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: harness.ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    const source = path.join(harness.ROOT, file);
    if (!fs.existsSync(source)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    fs.copyFileSync(source, path.join(into, file));
  }
  // npm ci's result, shared rather than reinstalled (30 s and network).
  fs.symlinkSync(path.join(harness.ROOT, "node_modules"), path.join(into, "node_modules"), "dir");
}

describe(`${process.env.SAMPLE_APP_CDK || "cdktf"} diff with OpenTofu, offline, on a fresh checkout`, () => {
  const toolchain = harness.findToolchain();
  let emulator: { endpoint: string; stop(): Promise<void> };
  let checkout: string;

  beforeAll(async () => {
    emulator = await harness.startEmulator(toolchain, { logFile: path.join(os.tmpdir(), "sample-app-e2e-diff-emulator.log") });
    checkout = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-checkout-"));
    freshCheckout(checkout);
  });

  afterAll(async () => {
    await emulator?.stop();
    if (checkout) fs.rmSync(checkout, { recursive: true, force: true });
  });

  const cdktfDiff = () => {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith("AWS_") && !key.startsWith("TF_") && key !== "TERRAFORM_BINARY_NAME") env[key] = value;
    }
    // scripts/cdk.cjs is `npm run cdk`: it runs node_modules/.bin/cdktf or .bin/cdktn.
    return spawnSync(process.execPath, [path.join(checkout, "scripts", "cdk.cjs"), "diff", STACK], {
      cwd: checkout,
      encoding: "utf8",
      timeout: 10 * 60 * 1000,
      env: {
        ...env,
        // What the README tells a user to do: the toolchain on PATH, tofu as the engine.
        PATH: `${path.dirname(toolchain.tofu)}${path.delimiter}${process.env.PATH}`,
        TERRAFORM_BINARY_NAME: "tofu",
        TF_CLI_CONFIG_FILE: toolchain.cliConfig,
        CHECKPOINT_DISABLE: "1",
        CI: "1",
        SAMPLE_APP_EMULATOR_ENDPOINT: emulator.endpoint,
        // No registry, whatever this machine can reach: every HTTPS request outside
        // loopback goes to a closed port.
        HTTPS_PROXY: "http://127.0.0.1:9",
        HTTP_PROXY: "http://127.0.0.1:9",
        NO_PROXY: "127.0.0.1,localhost",
      },
    });
  };

  it("initialises from the committed lock file and plans, twice in a row, without locking providers", () => {
    const committed = fs.readFileSync(path.join(checkout, "provider-locks", `${STACK}.terraform.lock.hcl`), "utf8");
    expect(committed).toContain('provider "registry.opentofu.org/hashicorp/aws"');
    expect(fs.existsSync(path.join(checkout, "cdktf.out"))).toBe(false);

    for (const run of [1, 2]) {
      const result = cdktfDiff();
      // cdktf colours tofu's output even without a terminal.
      const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
      expect({ run, status: result.status, tail: result.status === 0 ? "" : output.slice(-3000) }).toEqual({ run, status: 0, tail: "" });
      expect(output).toContain("Reusing previous version of hashicorp/aws from the dependency lock file");
      expect(output).not.toMatch(/Could not retrieve providers for locking|providers lock|Upgrading modules|Finding latest version/);
      expect(output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
      // Neither cdktf nor tofu rewrote the lock file.
      expect(fs.readFileSync(path.join(checkout, "cdktf.out", "stacks", STACK, ".terraform.lock.hcl"), "utf8")).toBe(committed);
    }
  });
});
