import { closest, editDistance, suggestion, withinEditDistance } from "../../../modules/core/suggest";

describe("did you mean", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("instnaceType", "instanceType")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("bounds the distance the same way the full table does, for every pair of a varied sample", () => {
    // A small deterministic generator over a 3-letter alphabet, so near pairs (swaps, repeats) are common.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const word = () => Array.from({ length: next() % 7 }, () => "abc"[next() % 3]).join("");
    const words = Array.from({ length: 120 }, word);
    let checked = 0;
    for (const a of words) {
      for (const b of words.slice(0, 40)) {
        for (const max of [0, 1, 2, 3]) {
          expect([a, b, max, withinEditDistance(a, b, max)]).toEqual([a, b, max, editDistance(a, b) <= max]);
          checked++;
        }
      }
    }
    expect(checked).toBe(120 * 40 * 4);
    expect(withinEditDistance("SAMPLE_APP_ENVIRONMENTS", "SAMPLE_APP_ENVIRONEMNTS", 1)).toBe(true);
    expect(withinEditDistance("npm_config_user_agent", "SAMPLE_APP_ENVIRONMENTS", 2)).toBe(false);
  });

  it.each<[string, string | undefined]>([
    ["instnceType", "instanceType"],
    ["AppPort", "appPort"],
    ["app_port", "appPort"],
    ["timeout", "timeoutSeconds"],
    ["colour", undefined],
  ])("suggests for %s: %s", (name, expected) => {
    expect(closest(name, ["instanceType", "appPort", "timeoutSeconds", "intervalSeconds"])).toBe(expected);
  });

  it("lists what is allowed when nothing is close", () => {
    expect(suggestion("zzz", ["a", "b"], "allowed fields")).toBe("allowed fields: a, b");
  });
});
