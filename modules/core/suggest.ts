/**
 * "Did you mean …?" for misspelled names: the closest known name by edit distance,
 * when it is close enough to be a plausible typo.
 */

/** Damerau-Levenshtein distance (optimal string alignment): a swap of two neighbours counts 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * Whether `a` and `b` are at most `max` edits apart (the same distance as `editDistance`), cheaply
 * for the many pairs that are not: a length difference above `max` needs no table, and the rows
 * stop as soon as every entry exceeds `max` (a row minimum never decreases further down).
 */
export function withinEditDistance(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) {
    return false;
  }
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1);
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2] + 1);
      }
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    // A transposition reaches back two rows, so stop only when two rows in a row are over.
    if (rowMin > max && Math.min(...previous) > max) {
      return false;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] <= max;
}

/**
 * The known name closest to `name`, or undefined when none is within a third of its
 * length (at least 2 edits). Case and `-`/`_` differences alone always match, and so
 * does a unique known name that extends the given one.
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const fold = (value: string) => value.toLowerCase().replace(/[-_]/g, "");
  const exact = known.find((candidate) => fold(candidate) === fold(name));
  if (exact !== undefined) {
    return exact;
  }
  // "timeout" for "timeoutSeconds": a unique known name that starts with the given one.
  const extended = known.filter((candidate) => name.length >= 4 && fold(candidate).startsWith(fold(name)));
  if (extended.length === 1) {
    return extended[0];
  }
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** `did you mean "x"?` or, when nothing is close, the list of what is allowed. */
export function suggestion(name: string, known: readonly string[], what = "allowed"): string {
  const match = closest(name, known);
  return match !== undefined ? `did you mean "${match}"?` : `${what}: ${known.join(", ")}`;
}
