// Bundles the CDKTF app into dist/main.js with esbuild: no type checking on the synth
// path (that is `npm run typecheck`), and one minified file instead of ~40 modules
// resolved and read one by one. cdktf and constructs stay external so that the app
// loads the same cdktf as everything else. Keeps synthesis close to the cost of
// loading cdktf itself (npm run bench). Builds only when a source changed since the
// last build (scripts/lib/bundle.cjs); --force builds anyway.
import { renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";

const USAGE = `usage: node scripts/build.mjs [--force]   (npm run build)
  Bundles main.ts into dist/main.js when a source changed since the last build.
  --force     build even when dist/main.js is up to date
  -h, --help  this help
`;
const args = process.argv.slice(2).filter((arg) => arg !== "--force");
const force = process.argv.includes("--force");
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  process.stderr.write(`error: unknown argument ${JSON.stringify(args[0])}\n${USAGE}`);
  process.exit(2);
}

const require = createRequire(import.meta.url);
const { ROOT: root, staleReason, recordInputs } = require("./lib/bundle.cjs");
const reason = force ? "--force" : staleReason();
if (reason === undefined) {
  process.exit(0);
}
// esbuild is loaded only when there is something to build: it costs ~30 ms to load.
const { build } = await import("esbuild");
// Built beside and renamed into place, so a synth (or a parallel test) never reads half a bundle.
const temporary = join(root, "dist", `.build-${process.pid}`);
rmSync(temporary, { recursive: true, force: true });
let result;
try {
  result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, "main.ts")],
    outfile: join(temporary, "main.js"),
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
    metafile: true,
  });
} catch {
  // esbuild has already printed the errors with file and line.
  rmSync(temporary, { recursive: true, force: true });
  process.exit(1);
}
renameSync(join(temporary, "main.js.map"), join(root, "dist", "main.js.map"));
renameSync(join(temporary, "main.js"), join(root, "dist", "main.js"));
rmSync(temporary, { recursive: true, force: true });
// Metafile paths are relative to absWorkingDir (the project root). The build script and
// the lock file (esbuild's version) shape the bundle too.
recordInputs([...Object.keys(result.metafile.inputs), "scripts/build.mjs", "package-lock.json"].map((file) => relative(root, join(root, file))));
