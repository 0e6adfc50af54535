import type { DailyObservation } from '../../../lib/model/daily-series.js';
import { seededRandom } from '../../../lib/model/seeded-random.js';

/** Daily OHLC bars from a GARCH(1,1) process, so volatility clusters as in real markets. */
export function garchDays(count: number, seed = 7, start = Date.UTC(2020, 0, 1)): DailyObservation[] {
  const random = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const days: DailyObservation[] = [];
  let variance = 1e-4;
  let previousReturn = 0;
  let close = 100;

  for (let i = 0; i < count; i++) {
    variance = 2e-6 + 0.1 * previousReturn ** 2 + 0.88 * variance;
    previousReturn = Math.sqrt(variance) * normal();

    const open = close;
    close = open * Math.exp(previousReturn);
    const spread = Math.sqrt(variance) * Math.abs(normal()) * 0.5;

    days.push({ time: start + i * 86_400_000, open, high: Math.max(open, close) * Math.exp(spread), low: Math.min(open, close) * Math.exp(-spread), close });
  }

  return days;
}
