/**
 * scripts/changed-environments.mjs (the workflow's matrix): environment stacks only, the
 * excluded ones left out, and a clear error for a base that is not a commit.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const run = (args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, "scripts", "changed-environments.mjs"), ...args], { cwd: ROOT, encoding: "utf8" });

describe("changed-environments", () => {
  it("lists every environment (not the state bootstrap) when there is no base revision", () => {
    const result = run(["--base", "0".repeat(40), "--exclude", "local"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(["dev", "prod", "stage"]);
    expect(result.stderr).toContain("no base revision: every environment is touched");
  });

  it("rejects a base that is not a commit", () => {
    const result = run(["--base", "no-such-ref-anywhere"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--base no-such-ref-anywhere: not a commit in this repository");
  });
});
