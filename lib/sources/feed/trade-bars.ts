import type { BarPrices } from '../bar-checks.js';
import { bucketStart, extendBucket, openBucket, type OhlcBucket } from '../ohlc-bucket.js';
import { formatScaledDecimal } from './scaled-decimal.js';

/** A bar built from trades, with its volume also kept exactly. */
export interface TradeBar {
  readonly instrument: string;
  readonly time: number;
  readonly prices: BarPrices;
  /** Summed quantity in units of 10^-decimals. */
  readonly volumeScaled: bigint;
  readonly trades: number;
}

interface OpenBar extends OhlcBucket {
  volume: bigint;
  trades: number;
}

/**
 * Aggregates trades into bars of a fixed interval aligned to the UTC epoch. Volumes are summed
 * as scaled integers, so no quantity is lost to floating point; the bar's `volume` number is the
 * exact sum rounded once. A bar is complete when a trade of a later interval arrives.
 */
export class TradeBarAggregator {
  private readonly open = new Map<string, OpenBar>();

  constructor(
    private readonly interval: number,
    private readonly decimals: number,
  ) {}

  /** Returns the start time of an instrument's open bar, or undefined when it has none. */
  openBarStart(instrument: string): number | undefined {
    return this.open.get(instrument)?.time;
  }

  /**
   * Adds a trade and returns the bar it completed, if any. Trades must not go back before the
   * open bar's start (check with `openBarStart`): that would reopen a bar already emitted.
   */
  add(instrument: string, time: number, price: number, quantity: bigint): TradeBar | null {
    const start = bucketStart(time, this.interval);
    const current = this.open.get(instrument);

    if (current !== undefined && current.time === start) {
      extendBucket(current, price);
      current.volume += quantity;
      current.trades++;
      return null;
    }

    this.open.set(instrument, { ...openBucket(start, price), volume: quantity, trades: 1 });

    return current === undefined ? null : this.toTradeBar(instrument, current);
  }

  /** Returns every open bar, partial ones included, and removes them. */
  flush(): TradeBar[] {
    const bars = [...this.open.entries()].map(([instrument, bar]) => this.toTradeBar(instrument, bar));

    this.open.clear();
    return bars;
  }

  private toTradeBar(instrument: string, bar: OpenBar): TradeBar {
    const volume = Number(formatScaledDecimal(bar.volume, this.decimals));

    return {
      instrument,
      time: bar.time,
      prices: { open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume },
      volumeScaled: bar.volume,
      trades: bar.trades,
    };
  }
}
