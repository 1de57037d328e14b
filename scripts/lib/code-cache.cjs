// Runs the esbuild bundle (dist/app.js) as a CommonJS module with a V8 code cache beside it
// (dist/app.cache), so that a synth does not compile the same 2.5 MB of JavaScript on every
// run (npm run bench). dist/main.js, written by scripts/build.mjs, is a two-line stub that
// calls this. Node.js 20 has no module.enableCompileCache (22.1+), hence vm.Script with
// cachedData, which is what that API does internally.
//
// The cache is only ever used for the exact bundle it was made from: its first line records
// the bundle's device, inode, size and mtime (the bundle is replaced by rename, never edited
// in place, so a rebuild changes the inode), the Node.js version and the architecture; V8
// itself also rejects data from another V8 version or with other flags. A missing, foreign or
// rejected cache costs nothing but the compile it would have saved: the bundle runs from its
// source, and a run that succeeds writes a new cache (beside, then renamed into place, so a
// parallel run never reads half a cache). A run that fails or only prints --help does not
// write one: it would lack the functions a synth compiles.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

/** The cache file of a bundle: app.js -> app.cache. */
function cacheFileFor(bundle) {
  return bundle.replace(/\.js$/, "") + ".cache";
}

function cacheKey(stat) {
  return `v1 ${process.version} ${process.arch} ${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}\n`;
}

/** The cached data for this key, or undefined. */
function readCache(cacheFile, key) {
  let data;
  try {
    data = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const header = Buffer.from(key);
  return data.length > header.length && data.subarray(0, header.length).equals(header) ? data.subarray(header.length) : undefined;
}

function writeCache(cacheFile, key, script) {
  const temporary = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(temporary, Buffer.concat([Buffer.from(key), script.createCachedData()]));
    fs.renameSync(temporary, cacheFile);
  } catch {
    // A read-only checkout runs without a cache.
    fs.rmSync(temporary, { force: true });
  }
}

/** Loads `bundle` as the module `parent` would have required it, compiled with the code cache. */
function runWithCodeCache(bundle, parent) {
  // One descriptor for the key and the text: a rebuild renamed in between cannot mix them.
  const fd = fs.openSync(bundle, "r");
  let source;
  let key;
  try {
    key = cacheKey(fs.fstatSync(fd));
    source = fs.readFileSync(fd, "utf8");
  } finally {
    fs.closeSync(fd);
  }
  const cacheFile = cacheFileFor(bundle);
  const cachedData = readCache(cacheFile, key);
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const module = new Module(bundle, parent);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(path.dirname(bundle));
  if (cachedData === undefined || script.cachedDataRejected) {
    const helpOnly = process.argv.slice(2).some((argument) => argument === "--help" || argument === "-h");
    process.once("exit", (code) => {
      if (code === 0 && !helpOnly) {
        writeCache(cacheFile, key, script);
      }
    });
  }
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  module.loaded = true;
  return module.exports;
}

module.exports = { runWithCodeCache, cacheFileFor };
