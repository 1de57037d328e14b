/**
 * Unit tests: TypeScript is transpiled by SWC without type checking (type checking
 * is `npm run typecheck`, a separate step), which keeps the suite within seconds.
 * The end-to-end suite has its own config (jest.e2e.config.js).
 */
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
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts", "**/*.test.js"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.js"],
  // The slowest files first (a fresh clone has no timings of earlier runs).
  testSequencer: "<rootDir>/__tests__/sequencer.js",
  testTimeout: 20000,
  // Jest's default is one worker fewer than the cores: a single worker on CI's 2 cores, with the
  // parent process idle. Two workers use both (the parent only hands out files).
  maxWorkers: 2,
};
