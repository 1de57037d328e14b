// npm run adopt -- --state <file> --env <env> [--dry-run] [--out <file>]
// Bundles ops/adopt/main.ts (esbuild, no type check, as for the synth) into dist/adopt.js and runs it
// with the arguments. See ops/adopt/command.ts and docs/adoption.md.
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { build } = await import("esbuild");
const temporary = join(root, "dist", `.adopt-build-${process.pid}`);
mkdirSync(temporary, { recursive: true });
try {
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, "ops/adopt/main.ts")],
    outfile: join(temporary, "adopt.js"),
    bundle: true,
    external: ["cdktf", "constructs"],
    format: "cjs",
    platform: "node",
    target: "node20",
    keepNames: true,
    sourcemap: true,
    logLevel: "warning",
  });
  renameSync(join(temporary, "adopt.js.map"), join(root, "dist", "adopt.js.map"));
  renameSync(join(temporary, "adopt.js"), join(root, "dist", "adopt.js"));
} catch {
  // esbuild has already printed the errors with file and line.
  process.exitCode = 1;
} finally {
  rmSync(temporary, { recursive: true, force: true });
}
if (process.exitCode !== 1) {
  process.argv = [process.argv[0], join(root, "dist", "adopt.js"), ...process.argv.slice(2)];
  createRequire(import.meta.url)(join(root, "dist", "adopt.js"));
}
