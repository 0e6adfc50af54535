import type { BarPrices } from '../bar-checks.js';
import { bucketStart, extendBucket, openBucket, type OhlcBucket } from '../ohlc-bucket.js';

/** A bar built from quotes, not yet an event. */
export interface QuoteBar {
  readonly instrument: string;
  /** Start of the bar's interval, UTC epoch milliseconds. */
  readonly time: number;
  readonly prices: BarPrices;
}

interface OpenBar extends OhlcBucket {
  quotes: number;
}

/**
 * Aggregates mid prices into bars of a fixed interval, aligned to the UTC epoch. A bar is
 * complete when the first quote of a later interval arrives; its volume is the number of
 * quotes, because quote files carry no traded volume. Intervals without quotes make no bar.
 */
export class QuoteBarAggregator {
  private readonly open = new Map<string, OpenBar>();

  constructor(private readonly interval: number) {}

  /** Adds a mid price and returns the bar it completed, if any. Times must not go backwards. */
  add(instrument: string, time: number, mid: number): QuoteBar | null {
    const start = bucketStart(time, this.interval);
    const current = this.open.get(instrument);

    if (current !== undefined && current.time === start) {
      extendBucket(current, mid);
      current.quotes++;
      return null;
    }

    this.open.set(instrument, { ...openBucket(start, mid), quotes: 1 });

    return current === undefined ? null : toQuoteBar(instrument, current);
  }

  /** Returns every bar still open, partial ones included, and removes them. */
  flush(): QuoteBar[] {
    const bars = [...this.open.entries()].map(([instrument, bar]) => toQuoteBar(instrument, bar));

    this.open.clear();
    return bars;
  }
}

function toQuoteBar(instrument: string, bar: OpenBar): QuoteBar {
  return {
    instrument,
    time: bar.time,
    prices: { open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.quotes },
  };
}
