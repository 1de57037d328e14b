// npm run synth (and cdktf synth, through cdktf.json): rebuilds dist/main.js only when a
// source changed (scripts/lib/bundle.cjs), then runs it in this same process, so a synth
// costs one Node.js start-up, not two. Arguments go to the app (it takes none but --help).
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");
const { BUNDLE, staleReason } = require("./lib/bundle.cjs");
// SAMPLE_APP_CDK (cdktf or cdktn): an unknown value, or a Node.js too old for the library, stops here.
require("./lib/cdk-library.cjs").selectedLibraryOrExit();

if (staleReason() !== undefined) {
  const build = spawnSync(process.execPath, [path.join(__dirname, "build.mjs")], { stdio: "inherit" });
  if (build.status !== 0) {
    process.exit(build.status ?? 1);
  }
}
require(BUNDLE);
