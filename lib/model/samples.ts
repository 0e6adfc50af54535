import { dailyFeatures, requiredObservations, targetVariance, type DailyFeatures, type FeatureSettings } from './features.js';
import type { DailyObservation } from './daily-series.js';
import { writeNormalizedRow, type Normalization } from './normalization.js';

/** Every (window, target) pair of a series, in time order. */
export interface SampleSet {
  readonly features: DailyFeatures;
  /** Index of the last day of each sample's window. */
  readonly days: number[];
  /** Target daily variance of each sample. */
  readonly targets: number[];
}

/** Sample index ranges of the chronological split, end exclusive. */
export interface SampleSplit {
  readonly fit: readonly [number, number];
  readonly validation: readonly [number, number];
  readonly heldOut: readonly [number, number];
}

/** Builds every sample whose window and target lie inside the series. */
export function buildSamples(observations: readonly DailyObservation[], settings: FeatureSettings): SampleSet {
  const features = dailyFeatures(observations, settings.rollingWindow);
  const days: number[] = [];
  const targets: number[] = [];

  for (let t = requiredObservations(settings) - 1; t < observations.length; t++) {
    const target = targetVariance(features.dayVariance, t, settings.horizon);

    if (target === undefined) {
      break;
    }

    days.push(t);
    targets.push(target);
  }

  return { features, days, targets };
}

/**
 * Splits samples in time order: the last `heldOutFraction` is held out, and the last
 * `validationFraction` of the rest is the validation part for early stopping. `horizon` samples
 * are dropped before each boundary, because their targets overlap the days after it.
 */
export function splitSamples(count: number, heldOutFraction: number, validationFraction: number, horizon: number): SampleSplit {
  const heldOutStart = Math.floor(count * (1 - heldOutFraction));
  const trainingEnd = Math.max(0, heldOutStart - horizon);
  const validationStart = Math.floor(trainingEnd * (1 - validationFraction));
  const fitEnd = Math.max(0, validationStart - horizon);

  return { fit: [0, fitEnd], validation: [validationStart, trainingEnd], heldOut: [heldOutStart, count] };
}

/** Encodes the windows of the given samples as one flat [samples, window, features] buffer. */
export function encodeWindows(set: SampleSet, indexes: readonly number[], window: number, normalization: Normalization): Float32Array {
  const featureCount = normalization.featureMean.length;
  const buffer = new Float32Array(indexes.length * window * featureCount);

  indexes.forEach((sample, position) => {
    const lastDay = set.days[sample];

    for (let step = 0; step < window; step++) {
      const row = set.features.rows[lastDay - window + 1 + step]!;
      writeNormalizedRow(row, normalization, buffer, (position * window + step) * featureCount);
    }
  });

  return buffer;
}

/** Returns the integers from start to end, end exclusive. */
export function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}
