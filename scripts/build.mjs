// Transpiles the app's TypeScript to dist/ with esbuild: no type checking on the synth
// path (that is `npm run typecheck`), so synthesis costs little more than loading cdktf.
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const sourceDirs = ["config", "lib", "modules", "stacks"];

function tsFiles(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(relative);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [relative] : [];
  });
}

const entryPoints = ["main.ts", ...sourceDirs.flatMap(tsFiles)].map((file) => join(root, file));
rmSync(join(root, "dist"), { recursive: true, force: true });
try {
  await build({
    entryPoints,
    outdir: join(root, "dist"),
    outbase: root,
    format: "cjs",
    platform: "node",
    target: "node20",
    sourcemap: "inline",
    logLevel: "warning",
  });
} catch {
  // esbuild has already printed the errors with file and line.
  process.exit(1);
}
