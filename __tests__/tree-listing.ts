import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * Every file, directory and link under `dir` with its size and sha-256 (a link: its target,
 * never followed), so a test can prove that a refused command changed nothing on disk.
 * Entries named in `skip` (at the top level) are left out, e.g. ".git".
 */
export function treeListing(dir: string, skip: readonly string[] = []): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      const full = path.join(dir, child);
      if (skip.includes(child)) continue;
      if (entry.isSymbolicLink()) entries[child] = `-> ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) {
        entries[`${child}/`] = "dir";
        walk(child);
      } else {
        const bytes = fs.readFileSync(full);
        entries[child] = `${bytes.length} ${createHash("sha256").update(bytes).digest("hex")}`;
      }
    }
  };
  walk("");
  return entries;
}
