/**
 * End-to-end tests (npm run test:e2e): the real OpenTofu and AWS provider against the
 * emulator. Slow (minutes) and dependent on `npm run toolchain`.
 *
 * Files run in parallel, each independent of the others (e2e/README.md: own emulator on a
 * free port, own temporary directory with its own cdktf.out and state). Workers:
 * SAMPLE_APP_E2E_WORKERS, 3 by default on the 2-core CI machine: most of a file's time is tofu
 * and the provider waiting (the provider's fixed 30 s after creating a load balancer, refresh
 * and health-check polling), not CPU. Measured on 2026-12-06, toolchain built: 3 workers ran the
 * 16 files in 27 min 19 s with the CPUs 65 % busy on average, against 39-40 min with 2 (docs/ci.md).
 */
const workers = process.env.SAMPLE_APP_E2E_WORKERS ?? "3";
if (!/^[1-9]\d*$/.test(workers)) {
  throw new Error(`SAMPLE_APP_E2E_WORKERS=${JSON.stringify(workers)} is not a number of workers: use a whole number from 1 up`);
}

// SAMPLE_APP_CDK=cdktn runs the same tests on cdktn: the sources' "cdktf" and "@cdktf/provider-aws"
// are mapped to cdktn's packages (scripts/lib/cdk-library.cjs); an unknown value, or a Node.js
// too old for the library, stops here with a message naming what to use.
const cdkLibrary = require("./scripts/lib/cdk-library.cjs");
const library = cdkLibrary.selectedLibraryOrExit();
const moduleNameMapper = cdkLibrary.jestModuleNameMapper(library);

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  ...(Object.keys(moduleNameMapper).length > 0 ? { moduleNameMapper } : {}),
  roots: ["<rootDir>/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // The app is bundled once, before the workers start (they share dist/).
  globalSetup: "<rootDir>/e2e/global-setup.js",
  // Sets TERRAFORM_BINARY_NAME before cdktf is loaded (cdktf reads it once, at load).
  setupFiles: ["<rootDir>/e2e/setup-env.js"],
  // Also gives each file its own os.tmpdir(), removed after the file.
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.js"],
  testTimeout: 15 * 60 * 1000,
  // Slowest files first (measured times in e2e/sequencer.js), not jest's per-machine cache.
  testSequencer: "<rootDir>/e2e/sequencer.js",
  maxWorkers: Number(workers),
};
