import type { Rejection } from './dead-letter.js';

/** Prices of one bar as read, before it becomes an event. */
export interface BarPrices {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;
const NUMBER_FIELDS = [...PRICE_FIELDS, 'volume'] as const;

/**
 * Checks a bar's prices: finite, above zero unless negative prices are allowed, high at or
 * above low, open and close within [low, high], volume at or above zero. Returns the first
 * rejection, or null for a good bar.
 */
export function checkBarPrices(bar: BarPrices, allowNegativePrices: boolean): Rejection | null {
  for (const field of NUMBER_FIELDS) {
    if (!Number.isFinite(bar[field])) {
      return { code: 'not-a-number', field, reason: `${field} is not a finite number` };
    }
  }

  if (!allowNegativePrices) {
    for (const field of PRICE_FIELDS) {
      if (bar[field] > 0) {
        continue;
      }

      return { code: 'non-positive-price', field, reason: `${field} ${bar[field]} is at or below zero and the instrument does not allow negative prices` };
    }
  }

  if (bar.high < bar.low) {
    return { code: 'high-below-low', field: 'high', reason: `high ${bar.high} is below low ${bar.low}` };
  }

  for (const field of ['open', 'close'] as const) {
    if (bar[field] < bar.low || bar[field] > bar.high) {
      return { code: `${field}-outside-range`, field, reason: `${field} ${bar[field]} is outside [low ${bar.low}, high ${bar.high}]` };
    }
  }

  if (bar.volume < 0) {
    return { code: 'negative-volume', field: 'volume', reason: `volume ${bar.volume} is below zero` };
  }

  return null;
}

/** Rejects a bar whose time is not after the previous accepted bar of its instrument. */
export function checkBarTime(time: number, previous: number | undefined): Rejection | null {
  if (previous !== undefined && time <= previous) {
    return { code: 'time-not-increasing', field: 'time', reason: `bar time ${new Date(time).toISOString()} is not after the previous bar's ${new Date(previous).toISOString()}` };
  }

  return null;
}

/** Reads a numeric field; an empty or non-numeric field is a rejection naming it. */
export function readNumber(text: string | undefined, field: string): number | Rejection {
  const trimmed = (text ?? '').trim();

  if (trimmed === '') {
    return { code: 'empty-field', field, reason: `${field} is empty` };
  }

  const value = Number(trimmed);

  return Number.isFinite(value) ? value : { code: 'not-a-number', field, reason: `${field} "${trimmed}" is not a finite number` };
}
