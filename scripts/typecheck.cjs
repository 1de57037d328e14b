// npm run typecheck: tsc --noEmit with tsconfig.json, or with tsconfig.cdktn.json under
// SAMPLE_APP_CDK=cdktn (the sources' cdktf names resolved to cdktn's packages).
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const library = require("./lib/cdk-library.cjs").selectedLibraryOrExit();
const root = path.join(__dirname, "..");
const args = ["--noEmit", ...(library === "cdktf" ? [] : ["-p", path.join(root, `tsconfig.${library}.json`)]), ...process.argv.slice(2)];
const result = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), ...args], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
