import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarEvent } from '../../../lib/events/index.js';
import { packageRoot } from '../../../lib/paths.js';

export const SP500_FILE = join(packageRoot(), '..', 'shared', 'data', 'sp500_daily_2000-2020.vega-datasets.csv');

/** Reads the real S&P 500 daily bars as bar events of instrument SPX. */
export function sp500Bars(limit = Number.POSITIVE_INFINITY): BarEvent[] {
  const lines = readFileSync(SP500_FILE, 'utf8').trim().split('\n').slice(1, limit + 1);

  return lines.map((line, index) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    const id = `csv:sp500:${index + 2}`;

    return {
      id,
      type: 'bar',
      time: Date.parse(`${date}T00:00:00Z`),
      ingestTime: 0,
      source: 'csv:sp500',
      correlationId: id,
      instrument: 'SPX',
      data: { open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume), interval: 86_400_000 },
    };
  });
}
