import * as fs from "fs";
import * as path from "path";
import { committedLockFile } from "../../stacks/synth/provider-locks";
import { Flag } from "./report";

/** Stable id of the flag a review gets when its stack has no committed lock file. */
export const PROVIDER_LOCK_FLAG = "PROVIDER-LOCK";

/**
 * Without a committed `provider-locks/<stack>.terraform.lock.hcl`, `tofu init` picks the
 * provider package and records checksums for the machine that planned, so nothing a
 * reviewer saw pins them. Not disruptive (the version itself is pinned exactly), but every
 * report says so until the lock file is committed.
 */
export function lockFileFlags(projectRoot: string, stack: string): Flag[] {
  const file = committedLockFile(projectRoot, stack);
  if (fs.existsSync(file)) return [];
  const environment = stack.replace(/^sample-app-/, "");
  return [
    {
      id: PROVIDER_LOCK_FLAG,
      severity: "warning",
      message:
        `${path.relative(projectRoot, file)} is not committed: tofu init chose the provider package and recorded checksums for this machine only, ` +
        `and no reviewed lock file pins them. With registry access run \`npm run lock -- --env ${environment}\` (or the lock workflow) and commit the file.`,
    },
  ];
}
