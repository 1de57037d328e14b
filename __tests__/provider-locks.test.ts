import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { committedLockFile, restoreLockFiles } from "../lib/provider-locks";

describe("restoreLockFiles", () => {
  it("copies a committed lock file into each synthesized stack that has one and leaves the others alone", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
    const synthDir = path.join(root, "out");
    for (const stack of ["a", "b"]) fs.mkdirSync(path.join(synthDir, "stacks", stack), { recursive: true });
    fs.mkdirSync(path.join(root, "provider-locks"));
    fs.writeFileSync(committedLockFile(root, "a"), 'provider "registry.opentofu.org/hashicorp/aws" {}\n');
    fs.writeFileSync(path.join(synthDir, "stacks", "b", ".terraform.lock.hcl"), "# tofu's own\n");

    expect(restoreLockFiles(root, synthDir)).toEqual(["a"]);
    expect(fs.readFileSync(path.join(synthDir, "stacks", "a", ".terraform.lock.hcl"), "utf8")).toContain("registry.opentofu.org/hashicorp/aws");
    expect(fs.readFileSync(path.join(synthDir, "stacks", "b", ".terraform.lock.hcl"), "utf8")).toBe("# tofu's own\n");
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("does nothing when nothing was synthesized", () => {
    expect(restoreLockFiles(os.tmpdir(), path.join(os.tmpdir(), "does-not-exist-"))).toEqual([]);
  });
});
