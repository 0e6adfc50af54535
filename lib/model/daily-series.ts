const DAY_MS = 86_400_000;

/**
 * One day of an instrument, the unit the model works in. Open, high and low are present for
 * OHLC data; realizedVariance is present when the day was built from intraday prices.
 */
export interface DailyObservation {
  /** Start of the bar (or of the day, for aggregated intraday prices), UTC epoch milliseconds. */
  readonly time: number;
  readonly close: number;
  readonly open?: number;
  readonly high?: number;
  readonly low?: number;
  /** Sum of squared intraday log returns over the day. */
  readonly realizedVariance?: number;
}

/** One intraday price. */
export interface IntradayPrice {
  readonly time: number;
  readonly price: number;
}

/**
 * Parses a day boundary given as `HH:MM` in UTC into minutes after midnight. Throws a plain
 * Error naming the value, which callers turn into their own error.
 */
export function parseDayBoundary(text: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);

  if (match === null) {
    throw new Error(`invalid day boundary "${text}": expected HH:MM in UTC, such as 00:00 or 22:00`);
  }

  return Number(match[1]) * 60 + Number(match[2]);
}

/** Returns the number of the day a time belongs to, counting days from the boundary. */
export function dayNumber(time: number, boundaryMinutes: number): number {
  return Math.floor((time - boundaryMinutes * 60_000) / DAY_MS);
}

/**
 * Builds days from intraday prices as they arrive. A day closes when the first price of the
 * next day comes in. Each intraday return, including the one across a night or a weekend,
 * counts towards the day its later price falls in.
 */
export class DayAggregator {
  private day: number | undefined;
  private previousPrice: number | undefined;
  private current: { time: number; open: number; high: number; low: number; close: number; variance: number } | undefined;

  constructor(private readonly boundaryMinutes: number) {}

  /** Adds a price and returns the day it closed, if it closed one. */
  push(point: IntradayPrice): DailyObservation | undefined {
    const day = dayNumber(point.time, this.boundaryMinutes);
    const squared = this.previousPrice === undefined ? 0 : Math.log(point.price / this.previousPrice) ** 2;
    this.previousPrice = point.price;

    if (this.current !== undefined && day === this.day) {
      this.extend(point.price, squared);
      return undefined;
    }

    const closed = this.flush();
    this.day = day;
    this.current = { time: day * DAY_MS + this.boundaryMinutes * 60_000, open: point.price, high: point.price, low: point.price, close: point.price, variance: squared };

    return closed;
  }

  /** Returns the day in progress as a closed day and starts afresh; undefined when none is open. */
  flush(): DailyObservation | undefined {
    const current = this.current;

    if (current === undefined) {
      return undefined;
    }

    this.current = undefined;
    return { time: current.time, open: current.open, high: current.high, low: current.low, close: current.close, realizedVariance: current.variance };
  }

  private extend(price: number, squared: number): void {
    const current = this.current!;
    current.high = Math.max(current.high, price);
    current.low = Math.min(current.low, price);
    current.close = price;
    current.variance += squared;
  }
}

/** Turns a whole intraday series into days; the last day is kept even though it may be partial. */
export function dailyFromIntraday(points: readonly IntradayPrice[], boundaryMinutes: number): DailyObservation[] {
  const aggregator = new DayAggregator(boundaryMinutes);
  const days: DailyObservation[] = [];

  for (const point of points) {
    const closed = aggregator.push(point);

    if (closed !== undefined) {
      days.push(closed);
    }
  }

  const last = aggregator.flush();

  if (last !== undefined) {
    days.push(last);
  }

  return days;
}
