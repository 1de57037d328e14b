// Is dist/main.js up to date? scripts/build.mjs records every file esbuild read (from its
// metafile; node_modules as a whole through npm's node_modules/.package-lock.json) with size
// and mtime in dist/main.inputs.json; the bundle is fresh while none of them changed, the
// build script included. A new file can only enter the bundle through
// an import in a file that changed, so the recorded inputs are enough. CommonJS and no
// dependencies: `npm run synth` checks this on every run, before loading anything else.
"use strict";
const fs = require("fs");
const path = require("path");

const { DEFAULT, VARIABLE, libraryName } = require("./cdk-library.cjs");

const ROOT = path.join(__dirname, "..", "..");
// dist/main.js runs dist/app.js, the bundle itself, with a code cache (scripts/lib/code-cache.cjs).
// It records the library it was built with (SAMPLE_APP_CDK): another one means build again.
const BUNDLE = path.join(ROOT, "dist", "main.js");
const APP = path.join(ROOT, "dist", "app.js");
const INPUTS = path.join(ROOT, "dist", "main.inputs.json");

/** size:mtime of a file, or undefined when it is gone. */
function fingerprint(file) {
  try {
    const stat = fs.statSync(path.resolve(ROOT, file));
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Undefined when dist/main.js is fresh, else why it is not. */
function staleReason() {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(INPUTS, "utf8"));
  } catch {
    return "no record of the last build";
  }
  const library = libraryName();
  if ((recorded.library ?? DEFAULT) !== library) {
    return `dist/ was built with ${recorded.library ?? DEFAULT}, and ${VARIABLE} selects ${library}`;
  }
  for (const file of [BUNDLE, APP]) {
    if (!fs.existsSync(file)) {
      return `${path.relative(ROOT, file)} is missing`;
    }
  }
  for (const [file, print] of Object.entries(recorded.inputs ?? {})) {
    if (fingerprint(file) !== print) {
      return `${file} changed`;
    }
  }
  return undefined;
}

/**
 * Records the inputs of a build that just finished (paths relative to the project root).
 * A file modified after the build started, or within a second before (file times are
 * coarser than the clock), may have been read before the change: it is recorded as
 * unknown, so the next synth builds again rather than trusting a bundle that may be stale.
 */
function recordInputs(files, startedAt, library = DEFAULT) {
  const inputs = {};
  for (const file of [...new Set(files)].sort()) {
    let print = fingerprint(file);
    try {
      if (fs.statSync(path.resolve(ROOT, file)).mtimeMs > startedAt - 1000) {
        print = "modified during the build";
      }
    } catch {
      // fingerprint() has recorded it as missing.
    }
    inputs[file] = print;
  }
  fs.writeFileSync(INPUTS, `${JSON.stringify(library === DEFAULT ? { inputs } : { library, inputs }, null, 1)}\n`);
}

module.exports = { ROOT, BUNDLE, staleReason, recordInputs };
