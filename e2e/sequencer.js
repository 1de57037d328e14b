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

/** Seconds per file, measured with 2 workers in the CI run of 2026-12-05 (docs/ci.md). */
const MEASURED_SECONDS = {
  "rollout.e2e.test.ts": 970,
  "adopt-book.e2e.test.ts": 851,
  // Measured alone (1 worker) on 2026-12-06, not yet in CI.
  "adopt-two-deployments.e2e.test.ts": 400,
  // Not yet measured in CI: 268 s alone on the shared 2-core machine (2026-12-06), rounded up.
  "adopt-terraform-aws-modules.e2e.test.ts": 280,
  "local-stack.e2e.test.ts": 712,
  "state.e2e.test.ts": 625,
  "image-prune.e2e.test.ts": 410,
  "review.e2e.test.ts": 400,
  "replacements.e2e.test.ts": 300,
  // Measured alone (1 worker, nice 10, the machine shared) on 2026-12-06: 253 s.
  "mixed-instances.e2e.test.ts": 253,
  "audit-trail.e2e.test.ts": 184,
  "matchers.e2e.test.ts": 102,
  "cdktf-diff.e2e.test.ts": 62,
  "provider-locks.e2e.test.ts": 9,
};

class SlowestFirst extends Sequencer {
  sort(tests) {
    const seconds = (test) => MEASURED_SECONDS[path.basename(test.path)] ?? Number.POSITIVE_INFINITY;
    return [...tests].sort((a, b) => seconds(b) - seconds(a) || a.path.localeCompare(b.path));
  }
}

module.exports = SlowestFirst;
module.exports.MEASURED_SECONDS = MEASURED_SECONDS;
