import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BarEvent, TradeEvent } from '../../../lib/events/index.js';
import { packageRoot } from '../../../lib/paths.js';

export const BINANCE_TRADES_FILE = join(packageRoot(), '..', 'shared', 'data', 'ticks', 'binance_XRPETH_aggTrade_ws_messages.ndjson');

interface AggTrade {
  a: number;
  p: string;
  q: string;
  T: number;
  m: boolean;
}

/** Reads the recorded Binance aggTrade messages as trade events. */
export function binanceTrades(): TradeEvent[] {
  const lines = readFileSync(BINANCE_TRADES_FILE, 'utf8').split('\n').filter((line) => line.trim() !== '');

  return lines.map((line) => {
    const message = JSON.parse(line) as AggTrade;
    const id = `ws:binance:${message.a}`;

    return {
      id,
      type: 'trade',
      time: message.T,
      ingestTime: message.T,
      source: 'ws:binance',
      correlationId: id,
      instrument: 'XRPETH',
      // The buyer is the maker when `m` is true, so the taker sold.
      data: { price: message.p, quantity: message.q, tradeId: String(message.a), side: message.m ? 'sell' : 'buy' },
    };
  });
}

/** Builds a daily bar with the given close. */
export function makeBar(index: number, close: number, instrument = 'SPX', open = close): BarEvent {
  const id = `csv:${instrument}:${index}`;

  return {
    id,
    type: 'bar',
    time: Date.UTC(2020, 0, 1) + index * 86_400_000,
    ingestTime: 1,
    source: `csv:${instrument}`,
    correlationId: id,
    instrument,
    data: { open, high: Math.max(open, close) + 1, low: Math.min(open, close) - 1, close, volume: 100, interval: 86_400_000 },
  };
}

/** Makes a temporary folder and returns it with its remover. */
export function tempFolder(prefix = 'tickflow-store-'): { folder: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
