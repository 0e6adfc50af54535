/** One figure of a benchmark, beside the raw baseline measured in the same run. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
  readonly baseline: { readonly name: string; readonly value: number };
  /** value divided by baseline.value. */
  readonly ratio: number;
}

/** Builds a row and computes its ratio. */
export function benchRow(
  name: string,
  value: number,
  unit: string,
  better: 'higher' | 'lower',
  baseline: { name: string; value: number },
): BenchRow {
  const ratio = baseline.value === 0 ? 0 : value / baseline.value;

  return { name, value: round(value), unit, better, baseline: { name: baseline.name, value: round(baseline.value) }, ratio: round(ratio, 4) };
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A benchmark file's entry point: runs its measurements and returns the rows. */
export type BenchModule = {
  readonly title: string;
  run(log: (line: string) => void): Promise<BenchRow[]>;
};
