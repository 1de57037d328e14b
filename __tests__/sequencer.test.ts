/**
 * The unit sequencer's slow-first list names files that exist: a test file that moved or was
 * renamed would otherwise silently lose its place at the front (sequencer.js).
 */
import * as fs from "fs";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sequencer is CommonJS (jest.config.js)
const { SLOW_FIRST } = require("./sequencer");

describe("unit test sequencer", () => {
  it.each(SLOW_FIRST as string[])("%s exists under __tests__/", (file) => {
    expect(fs.existsSync(path.join(__dirname, file))).toBe(true);
  });
});
