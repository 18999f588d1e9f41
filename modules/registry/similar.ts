/** "Did you mean" for the registry's errors: the nearest allowed word to a typo. */

/** Levenshtein distance: insertions, deletions and substitutions of one character each count 1. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate nearest to `word` (case-insensitively), when it is within
 * `maxDistance` and no other candidate is as near: an ambiguous hint (every
 * `eu-west-N` for `eu-west-4`) would mislead.
 */
export function closest(word: string, candidates: readonly string[], maxDistance: number): string | undefined {
  const ranked = candidates
    .map((c) => ({ c, d: editDistance(word.toLowerCase(), c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  const [best, next] = ranked;
  return best && best.d <= maxDistance && (!next || next.d > best.d) ? best.c : undefined;
}
