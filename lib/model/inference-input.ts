import { sha256 } from '../events/index.js';
import type { DailyObservation } from './daily-series.js';
import { dailyFeatures, requiredObservations } from './features.js';
import type { ModelMeta } from './model-meta.js';
import { writeNormalizedRow } from './normalization.js';

/** Returns how many days one forecast of the model needs. */
export function windowLengthOf(meta: ModelMeta): number {
  return requiredObservations(meta);
}

/**
 * Encodes the last days of a series as one normalized input window, written into a batch
 * buffer at a position. Throws when there are too few days, which callers check first.
 */
export function encodeInputWindow(observations: readonly DailyObservation[], meta: ModelMeta, into: Float32Array, position: number): void {
  const needed = windowLengthOf(meta);
  const recent = observations.slice(observations.length - needed);
  const features = dailyFeatures(recent, meta.rollingWindow);
  const featureCount = meta.features.length;

  for (let step = 0; step < meta.window; step++) {
    const row = features.rows[needed - meta.window + step];

    if (row === undefined) {
      throw new Error(`input window has ${observations.length} days but the model needs ${needed}`);
    }

    writeNormalizedRow(row, meta.normalization, into, (position * meta.window + step) * featureCount);
  }
}

/**
 * SHA-256 of the days a forecast reads (time, open, high, low, close and realized variance as
 * 64-bit floats), so two forecasts can be compared input for input across runs and backends.
 */
export function inputHashOf(observations: readonly DailyObservation[]): string {
  const values = new Float64Array(observations.length * 6);

  observations.forEach((observation, i) => {
    values.set([observation.time, observation.open ?? Number.NaN, observation.high ?? Number.NaN, observation.low ?? Number.NaN, observation.close, observation.realizedVariance ?? Number.NaN], i * 6);
  });

  return sha256(new Uint8Array(values.buffer));
}
