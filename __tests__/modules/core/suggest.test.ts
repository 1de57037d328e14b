import { closest, editDistance, suggestion } from "../../../modules/core/suggest";

describe("did you mean", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("instnaceType", "instanceType")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
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
