/**
 * "Did you mean …?" for misspelled names: the closest known name by edit distance,
 * when it is close enough to be a plausible typo.
 */

/**
 * Damerau-Levenshtein distance (optimal string alignment): a swap of two neighbours counts 1.
 * With `max`, a distance above it is reported as Infinity, cheaply for the many pairs that are
 * far apart (every environment variable is compared, and npm adds a hundred): a length
 * difference above `max` needs no table, and the rows stop once two in a row exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) {
    return Infinity;
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
    // A transposition reaches back two rows, and no later entry is below both rows' minimum.
    if (rowMin > max && Math.min(...previous) > max) {
      return Infinity;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] <= max ? previous[b.length] : Infinity;
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
