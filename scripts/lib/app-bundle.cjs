// How the app is bundled, shared by scripts/build.mjs (dist/) and the tests that bundle it
// with a fixture (__tests__/main/wrong-inputs.test.ts), so that both run the same code the same
// way: everything in one file, cdktf included, run through a V8 code cache.
"use strict";
const fs = require("fs");
const path = require("path");
const { esbuildAlias, libraryName } = require("./cdk-library.cjs");

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
 * esbuild options for bundling `entry` (main.ts) into `outdir`/app.js; `plugins` come first.
 * `library` (scripts/lib/cdk-library.cjs; SAMPLE_APP_CDK by default) is the CDK library the sources' "cdktf" names stand for.
 */
function appBundleOptions({ root, entry, outdir, plugins = [], library = libraryName() }) {
  const alias = esbuildAlias(library);
  return {
    ...(Object.keys(alias).length > 0 ? { alias } : {}),
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: path.join(outdir, "app.js"),
    bundle: true,
    // cdktf and constructs are bundled too: resolving and compiling cdktf's ~150 modules one
    // by one costs more than the whole synth of a stack. What cdktf loads only for assets
    // (archiver, for zipped assets the app never has) is loaded on first use instead.
    plugins: [...plugins, lazyModules(["archiver"])],
    format: "cjs",
    platform: "node",
    target: "node20",
    // Identifiers are not minified: V8 compiles the same either way, and names survive
    // without esbuild's renaming helper running in hot paths (withCheapNameHelper).
    minifyWhitespace: true,
    minifySyntax: true,
    // Class names appear in validation messages and construct metadata.
    keepNames: true,
    sourcemap: true,
    logLevel: "warning",
    metafile: true,
    write: false,
  };
}

/**
 * keepNames makes esbuild name functions with a helper that redefines `name` every time a
 * function is created, even when the function already has that name; cdktf creates closures
 * in its token resolver for every value, so this cost a tenth of synth time (npm run bench).
 * The helper is replaced by one that skips the redefinition when the name is already right,
 * of the same length so that the source map stays exact. Throws if esbuild ever emits a
 * different helper.
 */
function withCheapNameHelper(code) {
  const helper = 'var __name=(target,value)=>__defProp(target,"name",{value,configurable:!0});';
  const cheap = 'var __name=(t,v)=>t.name==v?t:__defProp(t,"name",{value:v,configurable:!0});';
  const at = code.indexOf(helper);
  if (at === -1 || code.indexOf(helper, at + 1) !== -1 || cheap.length !== helper.length) {
    throw new Error("scripts/lib/app-bundle.cjs: esbuild's __name helper is not the one withCheapNameHelper expects; update it");
  }
  return code.slice(0, at) + cheap + code.slice(at + helper.length);
}

/**
 * Writes esbuild's output (app.js, app.js.map) and main.js, the entry point that runs
 * app.js with a V8 code cache (scripts/lib/code-cache.cjs), into the output directory, for
 * files that will run from `runDir` (where they are renamed to; the output directory itself
 * by default).
 */
function writeAppBundle(result, outdir, runDir = outdir) {
  for (const file of result.outputFiles) {
    fs.writeFileSync(file.path, file.path.endsWith(".js") ? withCheapNameHelper(file.text) : file.contents);
  }
  const codeCache = path.relative(runDir, path.join(__dirname, "code-cache.cjs")).split(path.sep).join("/");
  fs.writeFileSync(
    path.join(outdir, "main.js"),
    `"use strict";\n// Written by scripts/build.mjs: runs app.js, the bundle of main.ts, with a V8 code cache.\n` +
      `require(${JSON.stringify(codeCache)}).runWithCodeCache(require("path").join(__dirname, "app.js"), module);\n`,
  );
}

module.exports = { appBundleOptions, writeAppBundle, withCheapNameHelper };
