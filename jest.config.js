/**
 * Unit tests: TypeScript is transpiled by SWC without type checking (type checking
 * is `npm run typecheck`, a separate step), which keeps the suite within seconds.
 * The end-to-end suite has its own config (jest.e2e.config.js).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts", "**/*.test.js"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.js"],
  testTimeout: 20000,
};
