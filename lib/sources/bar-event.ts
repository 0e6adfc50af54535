import { sourceEventId, type BarEvent } from '../events/index.js';
import type { BarPrices } from './bar-checks.js';

export interface BarEventInput {
  readonly source: string;
  readonly offset: number | string;
  readonly instrument: string;
  /** Start of the bar, UTC epoch milliseconds. */
  readonly time: number;
  readonly ingestTime: number;
  readonly prices: BarPrices;
  readonly interval: number;
}

/** Builds a `bar` event; its id and correlation id are the source and offset, so a replay repeats them. */
export function barEvent(input: BarEventInput): BarEvent {
  const id = sourceEventId(input.source, input.offset);
  const { open, high, low, close, volume } = input.prices;

  return {
    id,
    type: 'bar',
    time: input.time,
    ingestTime: input.ingestTime,
    source: input.source,
    correlationId: id,
    instrument: input.instrument,
    data: { open, high, low, close, volume, interval: input.interval },
  };
}
