import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeEvent, derivedEventId, sourceEventId } from '../../../lib/events/index.js';
import type { AnyEvent } from '../../../lib/events/index.js';

const DAY_MS = 86_400_000;

/**
 * Reads the S&P 500 daily bars from the vega-datasets package folder: its JS entry fetches from
 * a CDN and it exports no subpath, so the folder is found from the entry's location.
 */
export function sp500Rows(): string[][] {
  const require = createRequire(import.meta.url);
  let folder = dirname(require.resolve('vega-datasets'));

  while (!existsSync(join(folder, 'data', 'sp500-2000.csv')) && dirname(folder) !== folder) {
    folder = dirname(folder);
  }

  const lines = readFileSync(join(folder, 'data', 'sp500-2000.csv'), 'utf8').trim().split('\n').slice(1);

  return lines.map((line) => line.split(','));
}

/**
 * Builds a chain of events for the chart from real bars: each bar, a forecast (the trailing
 * 20-bar realized volatility, annualized, standing in for the model), a signal when the
 * volatility-targeted position moves by more than 0.1, an order for each signal and a fill at
 * the next bar. Every event is checked against the event codecs.
 */
export function marketEvents(instrument: string, rows: readonly string[][]): AnyEvent[] {
  const events: AnyEvent[] = [];
  const closes: number[] = [];
  let position = 0;
  let pendingOrder: AnyEvent | undefined;

  rows.forEach((row, index) => {
    const [date, open, high, low, close, , volume] = row;
    const time = Date.parse(`${date}T00:00:00Z`);
    const bar = envelope('bar', sourceEventId(`csv:${instrument}`, index + 2), time, instrument, undefined, {
      open: Number(open), high: Number(high), low: Number(low), close: Number(close), volume: Number(volume), interval: DAY_MS,
    });
    events.push(bar);

    if (pendingOrder !== undefined) {
      const order = pendingOrder.data as { side: 'buy' | 'sell'; quantity: number };
      events.push(envelope('fill', derivedEventId(pendingOrder.id, 'fill'), time, instrument, pendingOrder.correlationId, {
        orderId: pendingOrder.id, side: order.side, quantity: order.quantity, price: Number(open), commission: 1, position, venue: 'paper',
      }));
      pendingOrder = undefined;
    }

    closes.push(Number(close));

    if (closes.length <= 20) {
      return;
    }

    const volatility = realizedVolatility(closes.slice(-21));
    const forecast = envelope('forecast', derivedEventId(bar.id, 'forecast'), time, instrument, bar.id, {
      volatility, horizon: 1, modelId: instrument, modelHash: 'test-model', inputHash: `window-${index}`, backend: 'cpu', price: Number(close),
    });
    events.push(forecast);

    const target = Math.round(Math.min(2, 0.15 / volatility) * 10) / 10;

    if (Math.abs(target - position) < 0.1) {
      return;
    }

    const signal = envelope('signal', derivedEventId(forecast.id, 'signal'), time, instrument, bar.id, {
      targetPosition: target, previousPosition: position, rule: 'vol-target', forecastVolatility: volatility, price: Number(close), informational: false,
    });
    const side = target > position ? 'buy' : 'sell';
    const quantity = Math.abs(target - position) * 100;
    const order = envelope('order', derivedEventId(signal.id, 'order'), time, instrument, bar.id, {
      side, orderType: 'market', quantity, referencePrice: Number(close), notional: quantity * Number(close), targetPosition: target,
    });
    events.push(signal, order);
    position = target;
    pendingOrder = order;
  });

  return events;
}

/** Returns a run report shaped as the engine publishes it when a replay ends. */
export function reportEvent(instrument: string, time: number): AnyEvent {
  return envelope('report', sourceEventId('engine:report', 1), time, instrument, undefined, {
    trades: 42, pnl: 1234.5, sharpe: 0.8, maxDrawdown: -0.12, turnover: 3.5, rejectionsByRule: { maxOrderNotional: 2 }, headHash: 'ab'.repeat(32), rowCount: 1200,
  });
}

function envelope(type: string, id: string, time: number, instrument: string, correlationId: string | undefined, data: Record<string, unknown>): AnyEvent {
  const input = { id, type, time, ingestTime: Date.now(), source: `test:${instrument}`, correlationId: correlationId ?? id, instrument, data };
  const decoded = decodeEvent(input);

  if (!decoded.ok) {
    throw new Error(`test event ${id} is invalid: ${JSON.stringify(decoded.issues)}`);
  }

  return decoded.value;
}

function realizedVolatility(closes: readonly number[]): number {
  const returns = closes.slice(1).map((close, index) => Math.log(close / closes[index]));
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
  const variance = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1);

  return Math.sqrt(variance * 252);
}
