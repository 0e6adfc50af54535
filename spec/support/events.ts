import type { BarEvent } from '../../lib/events/index.js';

/** Builds a valid bar event for tests; fields can be overridden. */
export function makeBar(index: number, overrides: Partial<BarEvent> = {}): BarEvent {
  return {
    id: `test:${index}`,
    type: 'bar',
    time: 946857600000 + index * 86_400_000,
    ingestTime: 1733300000000,
    source: 'test',
    correlationId: `test:${index}`,
    instrument: 'SPX',
    data: { open: 100, high: 110, low: 90, close: 105, volume: 1000, interval: 86_400_000 },
    ...overrides,
  };
}
