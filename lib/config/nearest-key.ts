/**
 * Returns the candidate closest to `word` by edit distance, or undefined when none is close
 * enough to be a likely typo (more than a third of the word's letters, and at least 2, differ).
 */
export function nearestKey(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;

  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());

    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }

  return bestDistance <= limit ? best : undefined;
}

/** Describes an unknown key with the nearest valid one, or the list of valid keys. */
export function unknownKeyMessage(key: string, candidates: readonly string[]): string {
  const nearest = nearestKey(key, candidates);
  const hint = nearest === undefined ? `valid keys: ${candidates.join(', ')}` : `did you mean "${nearest}"?`;

  return `unknown key "${key}"; ${hint}`;
}

/** Levenshtein distance with one row of memory. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);

  for (let i = 1; i <= a.length; i++) {
    const current = [i];

    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }

    previous = current;
  }

  return previous[b.length];
}
