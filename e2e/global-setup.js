/**
 * Runs once before the e2e workers start (jest.e2e.config.js globalSetup): bundles the app
 * (scripts/build.mjs) so that the files running in parallel find dist/ fresh and their own
 * harness.buildApp() is a no-op, instead of each worker bundling at once.
 */
const harness = require("./harness");

module.exports = async () => {
  harness.buildApp();
};
