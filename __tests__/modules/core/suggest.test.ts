import { closest, editDistance, suggestion } from "../../../modules/core/suggest";

describe("did you mean", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("instnaceType", "instanceType")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("with a bound, gives the full table's distance, or Infinity past the bound, for every pair of a varied sample", () => {
    /** The whole (i, j) table, as editDistance computed it before it took a bound: the reference. */
    const fullTable = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
      return d[a.length][b.length];
    };
    // A small deterministic generator over a 3-letter alphabet, so near pairs (swaps, repeats) are common.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const word = () => Array.from({ length: next() % 7 }, () => "abc"[next() % 3]).join("");
    const words = Array.from({ length: 120 }, word);
    let checked = 0;
    for (const a of words) {
      for (const b of words.slice(0, 40)) {
        const reference = fullTable(a, b);
        expect([a, b, editDistance(a, b)]).toEqual([a, b, reference]);
        for (const max of [0, 1, 2, 3]) {
          expect([a, b, max, editDistance(a, b, max)]).toEqual([a, b, max, reference <= max ? reference : Infinity]);
          checked++;
        }
      }
    }
    expect(checked).toBe(120 * 40 * 4);
    expect(editDistance("SAMPLE_APP_ENVIRONMENTS", "SAMPLE_APP_ENVIRONEMNTS", 1)).toBe(1);
    expect(editDistance("npm_config_user_agent", "SAMPLE_APP_ENVIRONMENTS", 2)).toBe(Infinity);
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
