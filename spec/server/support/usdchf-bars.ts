import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarEvent } from '../../../lib/events/index.js';
import { sourceEventId } from '../../../lib/events/index.js';
import { packageRoot } from '../../../lib/paths.js';

const HALF_HOUR_MS = 30 * 60_000;

/**
 * Reads the USD/CHF 30-minute file (`timestamp_utc,local_zurich,usdchf`) into bar events. The
 * file has one price per slot, so open, high, low and close are that price.
 */
export function readUsdChfBars(): BarEvent[] {
  const file = join(packageRoot(), '..', 'shared', 'data', 'usdchf_30min_1996-2001.R-timeSeries.csv');
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);

  return lines.map((line, index) => {
    const [timestamp, , price] = line.split(',');
    const close = Number(price);
    const time = Date.parse(timestamp);
    const id = sourceEventId('csv:usdchf', index + 2);

    return {
      id,
      type: 'bar',
      time,
      ingestTime: time,
      source: 'csv:usdchf',
      correlationId: id,
      instrument: 'USDCHF',
      data: { open: close, high: close, low: close, close, volume: 0, interval: HALF_HOUR_MS },
    };
  });
}
