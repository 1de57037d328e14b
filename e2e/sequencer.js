/**
 * Runs the slowest end-to-end files first, so the last worker to finish is not the one that
 * picked up a 15-minute file at the end (longest-processing-time first: with N workers the
 * phase ends close to the sum of the files' times divided by N).
 *
 * Jest's own order uses its cache of earlier runs' times, which a fresh clone on a fresh
 * machine does not have (it then orders by file size). The times here were measured in CI
 * (docs/ci.md) and are only an order: a file missing from the list runs first, since a new
 * file's time is unknown and may be long.
 *
 * CommonJS: loaded by jest directly (jest.e2e.config.js `testSequencer`).
 */
const path = require("path");
const Sequencer = require("@jest/test-sequencer").default;

/**
 * Seconds per file, measured with 3 workers (the default) on 2026-12-06 10:06 UTC, toolchain built,
 * machine otherwise idle (docs/ci.md).
 */
const MEASURED_SECONDS = {
  "state.e2e.test.ts": 837,
  "adopt-book.e2e.test.ts": 768,
  "local-stack.e2e.test.ts": 552,
  "rollout.e2e.test.ts": 543,
  "review.e2e.test.ts": 369,
  "replacements.e2e.test.ts": 311,
  "scaling.e2e.test.ts": 231,
  "adopt-two-deployments.e2e.test.ts": 213,
  "adopt-terraform-aws-modules.e2e.test.ts": 197,
  "warm-pool-hooks.e2e.test.ts": 188,
  "mixed-instances.e2e.test.ts": 184,
  "image-prune.e2e.test.ts": 159,
  "audit-trail.e2e.test.ts": 129,
  "matchers.e2e.test.ts": 66,
  "cdktf-diff.e2e.test.ts": 35,
  "provider-locks.e2e.test.ts": 5,
};

class SlowestFirst extends Sequencer {
  sort(tests) {
    const seconds = (test) => MEASURED_SECONDS[path.basename(test.path)] ?? Number.POSITIVE_INFINITY;
    return [...tests].sort((a, b) => seconds(b) - seconds(a) || a.path.localeCompare(b.path));
  }
}

module.exports = SlowestFirst;
module.exports.MEASURED_SECONDS = MEASURED_SECONDS;
