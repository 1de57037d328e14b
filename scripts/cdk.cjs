// npm run cdk -- <command> [arguments]: the CLI of the CDK library SAMPLE_APP_CDK selects,
// `cdktf` (cdktf-cli, the default) or `cdktn` (cdktn-cli), e.g. `npm run cdk -- diff sample-app-dev`.
// Both read cdktf.json and run `npm run synth`'s entry point (scripts/synth.cjs), which builds
// with the same library. An unknown SAMPLE_APP_CDK, or a Node.js older than the CLI needs
// (cdktn-cli 0.24: 22.19), stops here with a message naming what to install.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const cdkLibrary = require("./lib/cdk-library.cjs");
const args = process.argv.slice(2);
if (args.length === 0 || args[0] === "-h" || args[0] === "--help" && args.length === 1) {
  const stream = args.length === 0 ? process.stderr : process.stdout;
  stream.write(
    "usage: npm run cdk -- <command> [arguments]\n" +
      "  Runs the CLI of the library SAMPLE_APP_CDK selects (cdktf by default, or cdktn), e.g. npm run cdk -- diff sample-app-dev.\n",
  );
  process.exit(args.length === 0 ? 2 : 0);
}
const name = cdkLibrary.selectedLibraryOrExit({ cli: true });
const bin = path.join(__dirname, "..", "node_modules", ".bin", cdkLibrary.LIBRARIES[name].cli);
const result = spawnSync(bin, args, { stdio: "inherit" });
if (result.error) {
  process.stderr.write(`error: cannot run ${bin}: ${result.error.message} (npm ci installs ${cdkLibrary.LIBRARIES[name].cliPackage})\n`);
  process.exit(1);
}
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? 1);
