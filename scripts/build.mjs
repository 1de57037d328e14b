// Bundles the CDKTF app into dist/main.js with esbuild: no type checking on the synth
// path (that is `npm run typecheck`), and one minified file instead of ~40 modules
// resolved and read one by one. cdktf and constructs stay external so that the app
// loads the same cdktf as everything else. Keeps synthesis close to the cost of
// loading cdktf itself (npm run bench).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
rmSync(join(root, "dist"), { recursive: true, force: true });
try {
  await build({
    entryPoints: [join(root, "main.ts")],
    outfile: join(root, "dist", "main.js"),
    bundle: true,
    external: ["cdktf", "constructs"],
    format: "cjs",
    platform: "node",
    target: "node20",
    minify: true,
    // Class names appear in validation messages and construct metadata.
    keepNames: true,
    sourcemap: true,
    logLevel: "warning",
  });
} catch {
  // esbuild has already printed the errors with file and line.
  process.exit(1);
}
