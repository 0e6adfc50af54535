import type { BarEvent } from '../../events/index.js';

/** One bar of an OHLC response; `t` is the bucket's open time in UTC epoch milliseconds. */
export interface OhlcBar {
  readonly t: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

const DAY_MS = 86_400_000;
/** Epoch 0 was a Thursday: weeks start on Monday 00:00 UTC, four days later. */
const WEEK_ANCHOR_MS = 4 * DAY_MS;
const WEEK_MS = 7 * DAY_MS;

/**
 * Resamples bars (oldest first) into buckets of `intervalMs`: first open, highest high, lowest
 * low, last close, summed volume. Buckets are aligned to UTC: days at midnight, weeks on Monday.
 * Empty buckets (weekends, holidays) are left out.
 */
export function resampleBars(bars: readonly BarEvent[], intervalMs: number): OhlcBar[] {
  const result: OhlcBar[] = [];
  let current: { t: number; open: number; high: number; low: number; close: number; volume: number } | undefined;

  for (const bar of bars) {
    const start = bucketStart(bar.time, intervalMs);

    if (current === undefined || current.t !== start) {
      current = { t: start, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close, volume: bar.data.volume };
      result.push(current);
      continue;
    }

    current.high = Math.max(current.high, bar.data.high);
    current.low = Math.min(current.low, bar.data.low);
    current.close = bar.data.close;
    current.volume += bar.data.volume;
  }

  return result;
}

/** Start of the UTC-aligned bucket holding a time. */
export function bucketStart(time: number, intervalMs: number): number {
  const anchor = intervalMs % WEEK_MS === 0 ? WEEK_ANCHOR_MS : 0;

  return Math.floor((time - anchor) / intervalMs) * intervalMs + anchor;
}
