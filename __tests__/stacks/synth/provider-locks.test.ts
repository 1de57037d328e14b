import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkLockFile, committedLockFile, restoreLockFiles } from "../../../stacks/synth/provider-locks";

describe("restoreLockFiles", () => {
  it("copies a committed lock file into each synthesized stack that has one and leaves the others alone", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
    const synthDir = path.join(root, "out");
    for (const stack of ["a", "b"]) fs.mkdirSync(path.join(synthDir, "stacks", stack), { recursive: true });
    fs.mkdirSync(path.join(root, "provider-locks"));
    fs.writeFileSync(committedLockFile(root, "a"), 'provider "registry.opentofu.org/hashicorp/aws" {\n  version = "6.25.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n');
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

describe("checkLockFile", () => {
  const AWS = { source: "registry.opentofu.org/hashicorp/aws", version: "6.25.0" };
  const lock = (version = "6.25.0", hashes = '"h1:qTpjfG2vQ9lIewzp+TW8PRiYdovJV12oEiByVZVVP4w=",') =>
    `# This file is maintained automatically by "tofu init".\n\nprovider "registry.opentofu.org/hashicorp/aws" {\n  version     = "${version}"\n  constraints = "${version}"\n  hashes = [\n    ${hashes}\n  ]\n}\n`;

  it("accepts the lock file tofu writes for the pinned provider", () => {
    expect(checkLockFile(lock(), [AWS])).toBeUndefined();
    expect(checkLockFile(lock(), [{ source: AWS.source }])).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ["conflict markers", `<<<<<<< ours\n${lock()}=======\n${lock("6.26.0")}>>>>>>> theirs\n`, 'has merge-conflict markers (line 1: "<<<<<<< ours")'],
    ["no hashes", lock("6.25.0", ""), 'provider "registry.opentofu.org/hashicorp/aws" has no hashes; it is not a lock file tofu writes'],
    ["a malformed hash", lock("6.25.0", '"sha256:abc",'), 'provider "registry.opentofu.org/hashicorp/aws" has a malformed hash; it is not a lock file tofu writes'],
    ["a truncated file", lock().slice(0, 90), "does not parse as a dependency lock file"],
    ["another version", lock("6.24.0"), "locks registry.opentofu.org/hashicorp/aws 6.24.0, and the stack pins 6.25.0"],
    ["the other registry's address", lock().replace("registry.opentofu.org", "registry.terraform.io"), "does not lock registry.opentofu.org/hashicorp/aws, which the stack requires (it locks registry.terraform.io/hashicorp/aws)"],
    ["an empty file", "", "does not lock registry.opentofu.org/hashicorp/aws, which the stack requires (it locks nothing)"],
  ])("refuses %s", (_case, text, problem) => {
    expect(checkLockFile(text, [AWS])).toContain(problem);
  });
});
