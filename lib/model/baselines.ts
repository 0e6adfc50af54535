import { VARIANCE_FLOOR } from './features.js';

/** EWMA decay of RiskMetrics for daily data. */
export const EWMA_LAMBDA = 0.94;

/**
 * RiskMetrics EWMA variance after each day: s(t) = lambda * s(t-1) + (1 - lambda) * v(t). The
 * forecast for every day of the horizon is the last value. Starts from the mean of the first
 * `seedDays` days.
 */
export function ewmaForecasts(dayVariance: readonly number[], lambda = EWMA_LAMBDA, seedDays = 30): number[] {
  const seed = dayVariance.slice(1, 1 + seedDays);
  let state = seed.reduce((sum, value) => sum + value, 0) / Math.max(seed.length, 1);
  const forecasts = [Math.max(state, VARIANCE_FLOOR)];

  for (let t = 1; t < dayVariance.length; t++) {
    state = lambda * state + (1 - lambda) * dayVariance[t];
    forecasts.push(Math.max(state, VARIANCE_FLOOR));
  }

  return forecasts;
}

/** Mean of the last `length` daily variances up to and including day t. */
export function trailingMean(dayVariance: readonly number[], t: number, length: number): number {
  const start = Math.max(1, t - length + 1);
  let sum = 0;

  for (let k = start; k <= t; k++) {
    sum += dayVariance[k];
  }

  return sum / Math.max(1, t - start + 1);
}

/** Rolling historical variance: the mean over the last `length` days. */
export function rollingForecast(dayVariance: readonly number[], t: number, length: number): number {
  return Math.max(trailingMean(dayVariance, t, length), VARIANCE_FLOOR);
}

/** Coefficients of the HAR model: intercept, daily, weekly (5 days) and monthly (22 days) terms. */
export type HarCoefficients = readonly [number, number, number, number];

/** Returns the HAR regressors of day t. */
export function harRegressors(dayVariance: readonly number[], t: number): number[] {
  return [1, dayVariance[t], trailingMean(dayVariance, t, 5), trailingMean(dayVariance, t, 22)];
}

/** Fits HAR by ordinary least squares over the given days and their targets. */
export function fitHar(dayVariance: readonly number[], days: readonly number[], targets: readonly number[]): HarCoefficients {
  const gram = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  const moment = [0, 0, 0, 0];

  days.forEach((t, i) => {
    const x = harRegressors(dayVariance, t);

    for (let row = 0; row < 4; row++) {
      moment[row] += x[row] * targets[i];

      for (let column = 0; column < 4; column++) {
        gram[row][column] += x[row] * x[column];
      }
    }
  });

  const solution = solveLinear(gram, moment);
  return [solution[0], solution[1], solution[2], solution[3]];
}

/** HAR forecast of day t, floored because a linear model can go below zero. */
export function harForecast(coefficients: HarCoefficients, dayVariance: readonly number[], t: number): number {
  const x = harRegressors(dayVariance, t);
  const value = x.reduce((sum, regressor, i) => sum + regressor * coefficients[i], 0);

  return Math.max(value, VARIANCE_FLOOR);
}

/** Solves a small dense system by Gaussian elimination with partial pivoting; a singular column gets 0. */
export function solveLinear(matrix: readonly (readonly number[])[], vector: readonly number[]): number[] {
  const size = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i]]);

  for (let column = 0; column < size; column++) {
    let pivot = column;

    for (let row = column + 1; row < size; row++) {
      if (Math.abs(a[row][column]) > Math.abs(a[pivot][column])) pivot = row;
    }

    [a[column], a[pivot]] = [a[pivot], a[column]];

    if (Math.abs(a[column][column]) < 1e-300) continue;

    for (let row = 0; row < size; row++) {
      if (row === column) continue;
      const factor = a[row][column] / a[column][column];

      for (let k = column; k <= size; k++) a[row][k] -= factor * a[column][k];
    }
  }

  return a.map((row, i) => (Math.abs(row[i]) < 1e-300 ? 0 : row[size] / row[i]));
}
