import * as fs from "fs";
import * as path from "path";

/**
 * Moves every file of a finished synthesis from `stagingDir` into `outdir`, one
 * atomic rename per file. Files are replaced rather than the directory, because a
 * stack directory also holds what `tofu init` put there (.terraform/, the lock file),
 * which a re-synth must not throw away.
 */
export function publishSynthOutput(stagingDir: string, outdir: string): void {
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(stagingDir, relative), { withFileTypes: true })) {
      const entryPath = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        fs.mkdirSync(path.join(outdir, entryPath), { recursive: true });
        walk(entryPath);
      } else {
        fs.renameSync(path.join(stagingDir, entryPath), path.join(outdir, entryPath));
      }
    }
  };
  fs.mkdirSync(outdir, { recursive: true });
  walk("");
}
