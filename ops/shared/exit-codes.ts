/**
 * The exit codes of every command in ops/ (docs/decisions/0004-exit-codes.md). One meaning per
 * code across all commands, so a script or CI step can branch on a code without knowing which
 * command it ran.
 */
export const EXIT = {
  /** Done: what was asked happened (review: nothing needs approval; rollout --wait: Successful). */
  done: 0,
  /** Error: it could not be done, or did not succeed (AWS call failed, bad input file, refresh failed). */
  error: 1,
  /** Bad usage: unknown flag, a flag without its value, a repeated flag, a wrong argument. Nothing was tried. */
  usage: 2,
  /** review: the plan needs an explicit approval (disruptive, needs review, or a flag such as ROLLED-BACK-IMAGE). */
  needsApproval: 3,
  /** rollout watch --wait --timeout: gave up waiting; the refresh goes on. */
  timedOut: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The table's line of each code: what every command means by it. */
export const EXIT_LINES: Readonly<Record<ExitCode, string>> = {
  0: "done",
  1: "error (it could not be done, or did not succeed)",
  2: "bad usage (unknown or repeated flag, missing value, wrong argument; nothing was tried)",
  3: "needs approval",
  4: "timed out",
};

/** Words wrapped to lines of at most `width` characters, continued lines indented by `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join("\n");
}

/**
 * The "Exit codes:" block of a command's --help: the table's lines for the codes it can return,
 * each optionally followed by the command's own words for it.
 */
export function exitCodeLines(codes: ReadonlyArray<ExitCode | readonly [ExitCode, string]>): string {
  const lines = codes.map((entry) => {
    const [code, detail] = typeof entry === "number" ? [entry, undefined] : entry;
    return `  ${wrap(`${code}  ${EXIT_LINES[code]}${detail ? `: ${detail}` : ""}`, 94, "     ")}`;
  });
  return `Exit codes:\n${lines.join("\n")}`;
}
