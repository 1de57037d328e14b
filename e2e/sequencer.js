/**
 * Runs the slowest end-to-end files first, so the last worker to finish is not the one that
 * picked up a 15-minute file at the end (longest-processing-time first: with 2 workers the
 * phase ends close to half the sum of the files' times).
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

/** Seconds per file, measured with 2 workers in the fresh-clone CI run of 2026-12-06 01:19 UTC (docs/ci.md). */
const MEASURED_SECONDS = {
  "state.e2e.test.ts": 766,
  "adopt-book.e2e.test.ts": 732,
  "rollout.e2e.test.ts": 528,
  "local-stack.e2e.test.ts": 487,
  "review.e2e.test.ts": 317,
  "replacements.e2e.test.ts": 290,
  // scaling and warm-pool-hooks: measured with 2 workers in the fresh-clone CI run of
  // 2026-12-06 04:42 UTC (docs/ci.md); alone on the loaded machine they had taken 406 s and 281 s.
  "scaling.e2e.test.ts": 235,
  "adopt-two-deployments.e2e.test.ts": 191,
  "adopt-terraform-aws-modules.e2e.test.ts": 176,
  "warm-pool-hooks.e2e.test.ts": 165,
  "mixed-instances.e2e.test.ts": 153,
  "image-prune.e2e.test.ts": 133,
  "audit-trail.e2e.test.ts": 129,
  "matchers.e2e.test.ts": 64,
  "cdktf-diff.e2e.test.ts": 35,
  "provider-locks.e2e.test.ts": 6,
};

class SlowestFirst extends Sequencer {
  sort(tests) {
    const seconds = (test) => MEASURED_SECONDS[path.basename(test.path)] ?? Number.POSITIVE_INFINITY;
    return [...tests].sort((a, b) => seconds(b) - seconds(a) || a.path.localeCompare(b.path));
  }
}

module.exports = SlowestFirst;
module.exports.MEASURED_SECONDS = MEASURED_SECONDS;
