// Bundles the CDKTF app into dist/main.js with esbuild: no type checking on the synth
// path (that is `npm run typecheck`), and one minified file instead of ~40 modules
// resolved and read one by one. cdktf and constructs stay external so that the app
// loads the same cdktf as everything else. Keeps synthesis close to the cost of
// loading cdktf itself (npm run bench). Builds only when a source changed since the
// last build (scripts/lib/bundle.cjs); --force builds anyway.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
const reason = force ? "--force" : staleReason();
if (reason === undefined) {
  process.exit(0);
}
/**
 * An esbuild plugin: each module named here is bundled behind a stub that requires it on
 * first call, so a module that only exports one function (archiver) costs nothing to load
 * until it is used.
 */
function lazyModules(names) {
  const filter = new RegExp(`^(${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);
  return {
    name: "lazy-modules",
    setup(esbuild) {
      esbuild.onResolve({ filter }, (args) =>
        args.namespace === "lazy" ? undefined : { path: args.path, namespace: "lazy", pluginData: { resolveDir: args.resolveDir } },
      );
      esbuild.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => ({
        contents: `module.exports = function (...args) { return require(${JSON.stringify(args.path)}).apply(this, args); };`,
        resolveDir: args.pluginData.resolveDir,
        loader: "js",
      }));
    },
  };
}

/**
 * keepNames makes esbuild name functions with a helper that redefines `name` every time a
 * function is created, even when the function already has that name; cdktf creates closures
 * in its token resolver for every value, so this cost a tenth of synth time (npm run bench).
 * The helper is replaced by one that skips the redefinition when the name is already right,
 * padded to the same length so that the source map stays exact. Fails the build if esbuild
 * ever emits a different helper.
 */
function withCheapNameHelper(code) {
  const helper = 'var __name=(target,value)=>__defProp(target,"name",{value,configurable:!0});';
  const cheap = 'var __name=(t,v)=>t.name==v?t:__defProp(t,"name",{value:v,configurable:!0});';
  const at = code.indexOf(helper);
  if (at === -1 || code.indexOf(helper, at + 1) !== -1 || cheap.length > helper.length) {
    throw new Error("scripts/build.mjs: esbuild's __name helper is not the one withCheapNameHelper expects; update it");
  }
  return code.slice(0, at) + cheap.padEnd(helper.length, " ") + code.slice(at + helper.length);
}

// Inputs changed after this moment may have been read before the change (scripts/lib/bundle.cjs).
const startedAt = Date.now();
// esbuild is loaded only when there is something to build: it costs ~30 ms to load.
const { build } = await import("esbuild");
// Built beside and renamed into place, so a synth (or a parallel test) never reads half a bundle.
const temporary = join(root, "dist", `.build-${process.pid}`);
rmSync(temporary, { recursive: true, force: true });
mkdirSync(temporary, { recursive: true });
let result;
try {
  result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, "main.ts")],
    outfile: join(temporary, "app.js"),
    bundle: true,
    // cdktf and constructs are bundled too: resolving and compiling cdktf's ~150 modules one
    // by one costs more than the whole synth of a stack. What cdktf loads only for assets
    // (archiver, for zipped assets the app never has) is loaded on first use instead.
    plugins: [lazyModules(["archiver"])],
    format: "cjs",
    platform: "node",
    target: "node20",
    // Identifiers are not minified: V8 compiles the same either way, and names survive
    // without esbuild's renaming helper running in hot paths (below).
    minifyWhitespace: true,
    minifySyntax: true,
    // Class names appear in validation messages and construct metadata.
    keepNames: true,
    sourcemap: true,
    logLevel: "warning",
    metafile: true,
    write: false,
  });
} catch {
  // esbuild has already printed the errors with file and line.
  rmSync(temporary, { recursive: true, force: true });
  process.exit(1);
}
try {
  for (const file of result.outputFiles) {
    writeFileSync(file.path, file.path.endsWith(".js") ? withCheapNameHelper(file.text) : file.contents);
  }
} catch (error) {
  rmSync(temporary, { recursive: true, force: true });
  throw error;
}
// dist/main.js runs the bundle with a V8 code cache (scripts/lib/code-cache.cjs).
writeFileSync(
  join(temporary, "main.js"),
  `"use strict";\n// Written by scripts/build.mjs: runs app.js, the bundle of main.ts, with a V8 code cache.\n` +
    `require(${JSON.stringify(relative(join(root, "dist"), join(root, "scripts", "lib", "code-cache.cjs")))}).runWithCodeCache(require("path").join(__dirname, "app.js"), module);\n`,
);
// The bundle before the entry point that runs it; the old code cache goes with the old bundle.
rmSync(join(root, "dist", "app.cache"), { force: true });
for (const file of ["app.js.map", "app.js", "main.js"]) {
  renameSync(join(temporary, file), join(root, "dist", file));
}
rmSync(join(root, "dist", "main.js.map"), { force: true });
rmSync(temporary, { recursive: true, force: true });
// Metafile paths are relative to absWorkingDir (the project root). The build script and
// the lock file (esbuild's version) shape the bundle too. Files under node_modules (~450 of
// them, cdktf's included) are stood for by npm's own record of the installed tree, which
// npm install and npm ci rewrite whenever they change it: checking one file instead of
// ~450 on every synth saves ~10 ms. A file edited by hand inside node_modules needs
// `npm run build -- --force`.
const inputs = Object.keys(result.metafile.inputs).map((file) => relative(root, join(root, file)));
recordInputs(
  [...inputs.filter((file) => !file.startsWith(`node_modules${sep}`)), "scripts/build.mjs", "package-lock.json", join("node_modules", ".package-lock.json")],
  startedAt,
);
