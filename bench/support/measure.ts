import { performance } from 'node:perf_hooks';

/**
 * Runs a body repeatedly and returns its best rate in operations per second. The best of
 * several rounds is the figure least disturbed by other work on a shared machine.
 */
export function bestRate(operations: number, rounds: number, body: () => void): number {
  let best = 0;

  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    body();
    const seconds = (performance.now() - start) / 1000;
    best = Math.max(best, operations / seconds);
  }

  return best;
}

/** Returns the value at a percentile (0 to 100) of an unsorted list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return 0;
  }

  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));

  return sorted[index];
}
