/**
 * npm run build with a dist/ it cannot write (issue 18): one line naming the path and the
 * cause, exit 1, no stack trace, and dist/ byte for byte as it was. Run in a throwaway copy
 * of the project (the build script, its helpers, the built dist/), never in the checkout.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { treeListing } from "../tree-listing";

const ROOT = path.join(__dirname, "..", "..");
const asRoot = process.getuid?.() === 0;
const immutableWorks = asRoot && spawnSync("chattr", ["--help"]).error === undefined;

describe("npm run build: a read-only dist/", () => {
  let project: string;

  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "build-readonly-"));
    for (const entry of ["scripts", "modules/core/output-path.cjs", "cdktf.json", "package.json", "package-lock.json"]) {
      fs.cpSync(path.join(ROOT, entry), path.join(project, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
    fs.mkdirSync(path.join(project, "dist"));
    fs.writeFileSync(path.join(project, "dist", "main.js"), "// the last good build\n");
  });

  afterAll(() => {
    if (asRoot) spawnSync("chattr", ["-i", path.join(project, "dist")]);
    fs.rmSync(project, { recursive: true, force: true });
  });

  (asRoot && !immutableWorks ? it.skip : it)("names the path and the cause in one line, exits 1 and leaves dist/ as it was", () => {
    const dist = path.join(project, "dist");
    const before = treeListing(dist);
    if (asRoot) expect(spawnSync("chattr", ["+i", dist]).status).toBe(0);
    else fs.chmodSync(dist, 0o555);
    let result;
    try {
      result = spawnSync(process.execPath, [path.join(project, "scripts", "build.mjs"), "--force"], { cwd: project, encoding: "utf8" });
    } finally {
      if (asRoot) spawnSync("chattr", ["-i", dist]);
      else fs.chmodSync(dist, 0o755);
    }
    const cause = asRoot ? "operation not permitted (read-only or immutable) (EPERM)" : "permission denied (EACCES)";
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 1,
      stderr: `npm run build: cannot write ${dist}/.build-${result.pid}: ${cause}; dist/ is unchanged\n`,
    });
    expect(treeListing(dist)).toEqual(before);
  });
});
