/**
 * The end-to-end files' order (e2e/sequencer.js): slowest first by the times measured in CI,
 * a file with no measured time before all others, and every e2e file measured.
 */
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SlowestFirst = require("../../e2e/sequencer.js");

const E2E = path.join(__dirname, "..", "..", "e2e");
const order = (files: string[]): string[] =>
  new SlowestFirst({ contexts: [], globalConfig: {} }).sort(files.map((f) => ({ path: path.join(E2E, f) }))).map((t: { path: string }) => path.basename(t.path));

describe("e2e sequencer", () => {
  it("runs the slowest files first", () => {
    expect(order(["provider-locks.e2e.test.ts", "review.e2e.test.ts", "rollout.e2e.test.ts", "state.e2e.test.ts"])).toEqual([
      "state.e2e.test.ts",
      "rollout.e2e.test.ts",
      "review.e2e.test.ts",
      "provider-locks.e2e.test.ts",
    ]);
  });

  it("runs a file with no measured time first: its time is unknown and may be long", () => {
    expect(order(["provider-locks.e2e.test.ts", "brand-new.e2e.test.ts", "rollout.e2e.test.ts"])[0]).toBe("brand-new.e2e.test.ts");
  });

  it("has a measured time for every e2e file, and none for a file that is gone", () => {
    const files = fs.readdirSync(E2E).filter((f) => f.endsWith(".e2e.test.ts")).sort();
    expect(Object.keys(SlowestFirst.MEASURED_SECONDS).sort()).toEqual(files);
  });
});
