import type { BarEvent } from '../../../events/index.js';
import type { ApiDeps } from '../api-deps.js';
import { HttpError } from '../http-error.js';
import { requireKnownInstrument } from '../known-instrument.js';
import { checkRange, parseIntervalParam, parseTimeParam, requiredParam, singleParam } from '../query-params.js';
import { resampleBars, type OhlcBar } from '../resample-bars.js';

type Query = Record<string, string | string[] | undefined>;

/** The instrument, range and interval shared by the OHLC and technical analysis routes. */
export interface MarketQuery {
  readonly instrument: string;
  readonly from?: number;
  readonly to?: number;
  /** Bucket length in milliseconds, or undefined to keep the stored bars as they are. */
  readonly intervalMs?: number;
}

export function parseMarketQuery(query: Query, defaultInterval: string | undefined): MarketQuery {
  const instrument = requiredParam(query, 'instrument');
  const from = parseTimeParam('from', singleParam(query, 'from'));
  const to = parseTimeParam('to', singleParam(query, 'to'));
  const interval = singleParam(query, 'interval') ?? defaultInterval;

  checkRange(from, to);

  return { instrument, from, to, intervalMs: interval === undefined ? undefined : parseIntervalParam('interval', interval) };
}

/**
 * Reads the stored bars of the query and resamples them when an interval is given. An interval
 * shorter than the stored bars' is rejected, because resampling can merge bars but not split them.
 */
export async function loadBars(deps: ApiDeps, query: MarketQuery): Promise<OhlcBar[]> {
  requireKnownInstrument(deps.ports.bars, query.instrument);

  const stored = await deps.ports.bars.range(query.instrument, { from: query.from, to: query.to });

  if (query.intervalMs === undefined) {
    return stored.map(toOhlc);
  }

  checkIntervalNotShorter(query.instrument, query.intervalMs, stored);

  return resampleBars(stored, query.intervalMs);
}

function checkIntervalNotShorter(instrument: string, intervalMs: number, stored: readonly BarEvent[]): void {
  const longest = stored.reduce((max, bar) => Math.max(max, bar.data.interval), 0);

  if (intervalMs >= longest) {
    return;
  }

  throw new HttpError('invalid-request', `interval of ${intervalMs} ms is shorter than the ${longest} ms interval of the stored ${instrument} bars; request ${longest} ms or longer`, {
    issues: [{ path: 'interval', expected: `an interval of at least ${longest} ms`, received: String(intervalMs) }],
  });
}

function toOhlc(bar: BarEvent): OhlcBar {
  return { t: bar.time, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close, volume: bar.data.volume };
}
