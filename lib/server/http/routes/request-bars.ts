import type { BarEvent } from '../../../events/index.js';
import { sourceEventId } from '../../../events/index.js';
import { checkBarPrices } from '../../../sources/bar-checks.js';
import { HttpError } from '../http-error.js';
import type { PredictBar } from './predict-request.js';

const DAY_MS = 86_400_000;

/**
 * Turns the bars of a predict request into bar events with source `api`. Each bar must pass
 * the checks the CSV source applies, with prices above zero because the request carries no
 * instrument settings that could allow negative prices. Times must rise strictly; the bar
 * interval is the gap between the last two bars (a day for a single bar).
 */
export function barsFromRequest(instrument: string, bars: readonly PredictBar[], ingestTime: number): BarEvent[] {
  bars.forEach(checkPrices);
  checkRisingTimes(bars);

  const interval = bars.length >= 2 ? bars[bars.length - 1].t - bars[bars.length - 2].t : DAY_MS;

  return bars.map((bar) => {
    const id = sourceEventId('api', `${instrument}:${bar.t}`);

    return {
      id,
      type: 'bar',
      time: bar.t,
      ingestTime,
      source: 'api',
      correlationId: id,
      instrument,
      data: { open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, interval },
    };
  });
}

function checkPrices(bar: PredictBar, index: number): void {
  const rejection = checkBarPrices(bar, false);

  if (rejection === null) {
    return;
  }

  const field = (rejection.field ?? 'close') as keyof PredictBar;
  const path = `bars[${index}].${field}`;

  throw new HttpError('invalid-bars', `${path}: ${rejection.reason}; send prices above zero with low <= open, close <= high`, {
    issues: [{ path, expected: expectationOf(rejection.code), received: String(bar[field]) }],
  });
}

function expectationOf(code: string): string {
  switch (code) {
    case 'non-positive-price':
      return 'a price above zero';
    case 'high-below-low':
      return 'a high at or above low';
    default:
      return 'a price within [low, high]';
  }
}

function checkRisingTimes(bars: readonly PredictBar[]): void {
  for (let i = 1; i < bars.length; i++) {
    if (bars[i].t <= bars[i - 1].t) {
      throw new HttpError('invalid-bars', `bars[${i}].t (${bars[i].t}) is not after bars[${i - 1}].t (${bars[i - 1].t}); send bars oldest first, one per time`, {
        issues: [{ path: `bars[${i}].t`, expected: `a time after ${bars[i - 1].t}`, received: String(bars[i].t) }],
      });
    }
  }
}
