// Is dist/main.js up to date? scripts/build.mjs records every file esbuild read (from its
// metafile) with size and mtime in dist/main.inputs.json; the bundle is fresh while none
// of them changed, the build script included. A new file can only enter the bundle through
// an import in a file that changed, so the recorded inputs are enough. CommonJS and no
// dependencies: `npm run synth` checks this on every run, before loading anything else.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..", "..");
const BUNDLE = path.join(ROOT, "dist", "main.js");
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
  if (!fs.existsSync(BUNDLE)) {
    return "dist/main.js is missing";
  }
  for (const [file, print] of Object.entries(recorded.inputs ?? {})) {
    if (fingerprint(file) !== print) {
      return `${file} changed`;
    }
  }
  return undefined;
}

/** Records the inputs of a build that just finished (paths relative to the project root). */
function recordInputs(files) {
  const inputs = {};
  for (const file of [...files].sort()) {
    inputs[file] = fingerprint(file);
  }
  fs.writeFileSync(INPUTS, `${JSON.stringify({ inputs }, null, 1)}\n`);
}

module.exports = { ROOT, BUNDLE, staleReason, recordInputs };
