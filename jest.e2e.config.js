/**
 * End-to-end tests (npm run test:e2e): the real OpenTofu and AWS provider against the
 * emulator. Slow (minutes) and dependent on `npm run toolchain`; run in band.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // Sets TERRAFORM_BINARY_NAME before cdktf is loaded (cdktf reads it once, at load).
  setupFiles: ["<rootDir>/e2e/setup-env.js"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.js"],
  testTimeout: 15 * 60 * 1000,
  maxWorkers: 1,
};
