/** Mean and standard deviation of each input feature and of the log target, from the training part only. */
export interface Normalization {
  readonly featureMean: number[];
  readonly featureStd: number[];
  readonly targetMean: number;
  readonly targetStd: number;
}

/** Returns mean and standard deviation; a constant column gets a deviation of 1 so it passes through unscaled. */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(values.length, 1);
  const std = Math.sqrt(variance);

  return { mean, std: std > 1e-12 ? std : 1 };
}

/** Fits the statistics from feature rows and log targets. */
export function fitNormalization(rows: readonly (readonly number[])[], logTargets: readonly number[], featureCount: number): Normalization {
  const featureMean: number[] = [];
  const featureStd: number[] = [];

  for (let column = 0; column < featureCount; column++) {
    const stats = meanAndStd(rows.map((row) => row[column]));
    featureMean.push(stats.mean);
    featureStd.push(stats.std);
  }

  const target = meanAndStd(logTargets);

  return { featureMean, featureStd, targetMean: target.mean, targetStd: target.std };
}

/** Writes a normalized feature row into a buffer at an offset. */
export function writeNormalizedRow(row: readonly number[], normalization: Normalization, into: Float32Array, offset: number): void {
  for (let column = 0; column < row.length; column++) {
    into[offset + column] = (row[column] - normalization.featureMean[column]) / normalization.featureStd[column];
  }
}
