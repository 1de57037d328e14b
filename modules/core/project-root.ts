import * as fs from "fs";
import * as path from "path";

/**
 * The directory holding cdktf.json. Code runs from the sources (jest) and from
 * dist/ (npm run synth), so paths to app/ or packer/ are resolved from here rather
 * than from __dirname.
 */
function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, "cdktf.json"))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cdktf.json not found above ${start}: run from the project checkout`);
    }
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
