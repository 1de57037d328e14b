// Bundles the CDKTF app with esbuild into dist/app.js, run by dist/main.js through a V8 code
// cache: no type checking on the synth path (that is `npm run typecheck`), and one file,
// cdktf included, instead of ~250 modules resolved, read and compiled one by one
// (scripts/lib/app-bundle.cjs). Keeps synthesis close to the cost of loading cdktf itself
// (npm run bench). Builds only when a source changed since the last build
// (scripts/lib/bundle.cjs); --force builds anyway.
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";

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
const { fsErrorLine } = require("../modules/core/output-path.cjs");

/** Removes the build's own temporary directory, if it can: the error that stopped the build is the one to report. */
function removeQuietly(dir) {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // reported through the original error
  }
}

/** A file-system error in one line (path and cause), no stack trace; anything else is rethrown. */
function failWrite(error, outcome) {
  const line = fsErrorLine(error, join(root, "dist"));
  if (line === undefined) throw error;
  process.stderr.write(`npm run build: cannot write ${line}; ${outcome}\n`);
  process.exit(1);
}
const { appBundleOptions, writeAppBundle } = require("./lib/app-bundle.cjs");
// The CDK library (SAMPLE_APP_CDK: cdktf or cdktn); an unknown one, or a Node.js too old for it, stops here.
const library = require("./lib/cdk-library.cjs").selectedLibraryOrExit();
const reason = force ? "--force" : staleReason();
if (reason === undefined) {
  process.exit(0);
}
// Inputs changed after this moment may have been read before the change (scripts/lib/bundle.cjs).
const startedAt = Date.now();
// esbuild is loaded only when there is something to build: it costs ~30 ms to load.
const { build } = await import("esbuild");
// Built beside and renamed into place, so a synth (or a parallel test) never reads half a bundle.
const temporary = join(root, "dist", `.build-${process.pid}`);
try {
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
} catch (error) {
  failWrite(error, "dist/ is unchanged");
}
let result;
try {
  result = await build(appBundleOptions({ root, entry: join(root, "main.ts"), outdir: temporary, library }));
} catch {
  // esbuild has already printed the errors with file and line.
  rmSync(temporary, { recursive: true, force: true });
  process.exit(1);
}
try {
  writeAppBundle(result, temporary, join(root, "dist"));
} catch (error) {
  removeQuietly(temporary);
  failWrite(error, "dist/ is unchanged");
}
try {
  // The bundle before the entry point that runs it; the old code cache goes with the old bundle.
  rmSync(join(root, "dist", "app.cache"), { force: true });
  for (const file of ["app.js.map", "app.js", "main.js"]) {
    renameSync(join(temporary, file), join(root, "dist", file));
  }
  rmSync(join(root, "dist", "main.js.map"), { force: true });
  rmSync(temporary, { recursive: true, force: true });
} catch (error) {
  removeQuietly(temporary);
  failWrite(error, "dist/ may hold part of the new build; fix the cause and run npm run build -- --force");
}
// Metafile paths are relative to absWorkingDir (the project root). The build script and
// the lock file (esbuild's version) shape the bundle too. Files under node_modules (~450 of
// them, cdktf's included) are stood for by npm's own record of the installed tree, which
// npm install and npm ci rewrite whenever they change it: checking one file instead of
// ~450 on every synth saves ~10 ms. A file edited by hand inside node_modules needs
// `npm run build -- --force`.
const inputs = Object.keys(result.metafile.inputs).map((file) => relative(root, join(root, file)));
recordInputs(
  [...inputs.filter((file) => !file.startsWith(`node_modules${sep}`)), "scripts/build.mjs", "scripts/lib/app-bundle.cjs", "scripts/lib/cdk-library.cjs", "package-lock.json", join("node_modules", ".package-lock.json")],
  startedAt,
  library,
);
