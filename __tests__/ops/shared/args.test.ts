/** The one argument parser of the commands in ops/ (ops/shared/args.ts). */
import { UsageError, parseCommandLine } from "../../../ops/shared/args";
import { EXIT } from "../../../ops/shared/exit-codes";

const SPEC = {
  options: { out: { type: "string" }, strict: { type: "boolean" }, region: { type: "string", multiple: true }, yes: { type: "boolean", short: "y" } },
  maxPositionals: 1,
} as const;

describe("parseCommandLine", () => {
  it("parses values, inline values, repeatable flags, short flags and positionals", () => {
    expect(parseCommandLine(["dev", "--out", "x", "--strict", "--region=a", "--region", "b", "-y"], SPEC)).toEqual({
      values: { out: "x", strict: true, region: ["a", "b"], yes: true },
      positionals: ["dev"],
    });
    // A lone - is a value (standard input); a value starting with a dash only inline; a negative number is a value.
    expect(parseCommandLine(["--out", "-"], SPEC)).toMatchObject({ values: { out: "-" } });
    expect(parseCommandLine(["--out=-x"], SPEC)).toMatchObject({ values: { out: "-x" } });
    expect(parseCommandLine(["--out", "-3"], SPEC)).toMatchObject({ values: { out: "-3" } });
    expect(parseCommandLine(["--", "--out"], SPEC)).toEqual({ values: {}, positionals: ["--out"] });
  });

  it.each([["--help"], ["-h"], ["dev", "--bogus", "--help"]])("%j is help, whatever else is there", (...argv) => {
    expect(parseCommandLine(argv, SPEC)).toBe("help");
  });

  it.each<[string[], string]>([
    [["--bogus"], "unknown option --bogus"],
    [["--strcit"], "unknown option --strcit; did you mean --strict?"],
    [["-x"], "unknown option -x"],
    [["--out"], "--out needs a value"],
    [["--out", "--strict"], "--out needs a value (got the option --strict; write --out=--strict for a value that starts with a dash)"],
    [["--out", "a", "--out", "b"], "--out is given more than once; give it once"],
    [["--strict", "--strict"], "--strict is given more than once; give it once"],
    [["--strict=yes"], "--strict takes no value (got --strict=yes)"],
    [["dev", "prod"], 'unexpected argument "prod"'],
  ])("refuses %j: %s, exit 2 with the usage", (argv, message) => {
    let error: unknown;
    try {
      parseCommandLine(argv, SPEC);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ message, exitCode: EXIT.usage, showUsage: true });
  });

  it("says too many positionals in the command's words", () => {
    expect(() => parseCommandLine(["a", "b"], { options: {}, maxPositionals: 1, tooMany: (p) => `one directory, got ${p.length}` })).toThrow("one directory, got 2");
  });
});

describe("the exit-code table", () => {
  it("gives each code one meaning: 0 done, 1 error, 2 bad usage, 3 needs approval, 4 timed out", () => {
    expect(EXIT).toEqual({ done: 0, error: 1, usage: 2, needsApproval: 3, timedOut: 4 });
  });
});
