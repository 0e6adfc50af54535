import type { BarEvent, ForecastEvent, SignalEvent } from '../../../lib/events/index.js';

const DAY = 86_400_000;
const START = Date.UTC(2020, 0, 1);

export function forecastAt(index: number, volatility: number, price = 100, options: { instrument?: string; source?: string } = {}): ForecastEvent {
  const instrument = options.instrument ?? 'SPX';
  const bar = `csv:${instrument}:${index}`;

  return {
    id: `${bar}>forecast`,
    type: 'forecast',
    time: START + index * DAY,
    ingestTime: 0,
    source: options.source ?? 'pipeline:test/lstm',
    correlationId: bar,
    instrument,
    data: { volatility, horizon: 1, modelId: instrument, modelHash: 'h', inputHash: `i${index}`, backend: 'cpu', price },
  };
}

export function signalAt(index: number, targetPosition: number, price = 100, options: { instrument?: string; time?: number; informational?: boolean } = {}): SignalEvent {
  const instrument = options.instrument ?? 'SPX';
  const bar = `csv:${instrument}:${index}`;

  return {
    id: `${bar}>forecast>signal`,
    type: 'signal',
    time: options.time ?? START + index * DAY,
    ingestTime: 0,
    source: 'pipeline:test/signal',
    correlationId: bar,
    instrument,
    data: { targetPosition, previousPosition: 0, rule: 'vol-target', forecastVolatility: 0.2, price, informational: options.informational ?? false },
  };
}

export function barAt(index: number, open: number, close = open, instrument = 'SPX'): BarEvent {
  const id = `csv:${instrument}:${index}`;

  return {
    id,
    type: 'bar',
    time: START + index * DAY,
    ingestTime: 0,
    source: `csv:${instrument}`,
    correlationId: id,
    instrument,
    data: { open, high: Math.max(open, close) * 1.01, low: Math.min(open, close) * 0.99, close, volume: 1, interval: DAY },
  };
}
