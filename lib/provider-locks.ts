import * as fs from "fs";
import * as path from "path";

/** Where the committed dependency lock files live: `<dir>/<stack id>.terraform.lock.hcl`. */
export const PROVIDER_LOCKS_DIR = "provider-locks";

/** The file name OpenTofu and Terraform read in a stack's working directory. */
export const LOCK_FILE_NAME = ".terraform.lock.hcl";

/** Path of a stack's committed lock file. */
export function committedLockFile(projectRoot: string, stackId: string): string {
  return path.join(projectRoot, PROVIDER_LOCKS_DIR, `${stackId}${LOCK_FILE_NAME}`);
}

/**
 * Copies each stack's committed lock file into its synthesized directory
 * (`<synthDir>/stacks/<stack id>/.terraform.lock.hcl`), so that `tofu init` (and cdktf's
 * own lock-file check, run by `cdktf diff` / `deploy`) find the reviewed provider
 * checksums instead of locking afresh. Stacks without a committed lock file are left
 * alone: tofu then locks what it installs, as it would without this project.
 * Returns the stack ids whose lock file was restored.
 */
export function restoreLockFiles(projectRoot: string, synthDir: string): string[] {
  const stacksDir = path.join(synthDir, "stacks");
  if (!fs.existsSync(stacksDir)) {
    return [];
  }
  const restored: string[] = [];
  for (const stackId of fs.readdirSync(stacksDir).sort()) {
    const committed = committedLockFile(projectRoot, stackId);
    if (fs.existsSync(committed)) {
      fs.copyFileSync(committed, path.join(stacksDir, stackId, LOCK_FILE_NAME));
      restored.push(stackId);
    }
  }
  return restored;
}
