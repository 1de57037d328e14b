// npm run review: bundles ops/review/main.ts into dist/review.js (esbuild, as scripts/build.mjs
// does for the app; a fraction of a second) and runs it in this process with the same
// arguments. The app itself (dist/main.js) is kept fresh by scripts/build.mjs, which
// `npm run review` runs first.
import { build } from "esbuild";
import { renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const temporary = join(root, "dist", `.review-build-${process.pid}`);
try {
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, "ops", "review", "main.ts")],
    outfile: join(temporary, "review.js"),
    bundle: true,
    // The AWS SDK loads from node_modules, as for the operator tools (scripts/tool.mjs).
    external: ["cdktf", "constructs", "@aws-sdk/*"],
    format: "cjs",
    platform: "node",
    target: "node20",
    sourcemap: true,
    logLevel: "warning",
  });
} catch {
  // esbuild has already printed the errors with file and line.
  rmSync(temporary, { recursive: true, force: true });
  process.exit(1);
}
renameSync(join(temporary, "review.js.map"), join(root, "dist", "review.js.map"));
renameSync(join(temporary, "review.js"), join(root, "dist", "review.js"));
rmSync(temporary, { recursive: true, force: true });
createRequire(import.meta.url)(join(root, "dist", "review.js"));
