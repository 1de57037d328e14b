/**
 * Unit test order (jest.config.js testSequencer): the slowest files first, so that on two
 * workers no long file starts last and runs alone at the end. Jest's own order uses the
 * durations of earlier runs from its cache; a fresh clone (CI) has none and falls back to
 * file size, which puts small but slow files (they spawn processes or bundle) last. The
 * list below is what they took in a full run (seconds, 2 cores, `npx jest --json`); files not
 * in it follow in Jest's order. Keep it to the slow ones.
 */
const Sequencer = require("@jest/test-sequencer").default;
const path = require("path");

const SLOW_FIRST = [
  "main/wrong-inputs.test.ts", // 32 s: ~90 synths through the bundle
  "ops/command-help.test.ts", // 10-12 s in CI (2026-12-06 10:36; 22-24 s before usage stopped loading the SDK): ~70 command runs
  "ops/review/plan-file.test.ts", // 15 s in CI (2026-12-06): review --plan runs
  "scripts/bundle-cache.test.ts", // 14 s: esbuild builds
  "ops/review/cli-args.test.ts", // 14 s: scripts/ops.mjs review runs
  "policy/policy-checks.test.ts", // 13 s
  "main/synth-outdir.test.ts", // 17 s under load: synths in a project copy
  "ops/lock/lock.test.ts", // 12 s: npm run lock runs
  "stacks/sample-app-stack.test.ts", // 10 s
  "app/packer.test.js", // 7 s
  "main/synth.test.ts", // 7 s
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const rank = (test) => {
      const relative = path.relative(__dirname, test.path).split(path.sep).join("/");
      const index = SLOW_FIRST.indexOf(relative);
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Array.prototype.sort is stable: files outside the list keep Jest's order.
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
module.exports.SLOW_FIRST = SLOW_FIRST;
