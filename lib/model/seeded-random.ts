/**
 * A small seeded pseudo-random generator (mulberry32). TensorFlow.js has no global seed and
 * `fit` shuffles with `Math.random`, so training orders its samples with this instead.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);

    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns the numbers 0..length-1 in an order fixed by the generator (Fisher-Yates). */
export function shuffledIndexes(length: number, random: () => number): number[] {
  const order = Array.from({ length }, (_, i) => i);

  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }

  return order;
}
