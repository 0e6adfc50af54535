import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarEvent } from '../../../lib/events/index.js';
import { sourceEventId } from '../../../lib/events/index.js';
import { packageRoot } from '../../../lib/paths.js';

const DAY_MS = 86_400_000;

/** Reads the S&P 500 daily file (`date,open,high,low,close,adjclose,volume`) into bar events. */
export function readSp500Bars(): BarEvent[] {
  const file = join(packageRoot(), '..', 'shared', 'data', 'sp500_daily_2000-2020.vega-datasets.csv');
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);

  return lines.map((line, index) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    const time = Date.parse(`${date}T00:00:00Z`);
    const id = sourceEventId('csv:sp500', index + 2);

    return {
      id,
      type: 'bar',
      time,
      ingestTime: time,
      source: 'csv:sp500',
      correlationId: id,
      instrument: 'SPX',
      data: { open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume), interval: DAY_MS },
    };
  });
}
