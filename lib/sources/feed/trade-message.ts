import type { Rejection } from '../dead-letter.js';
import { createDateParser } from '../csv/date-parser.js';

/** A trade read from an exchange message, with price and quantity kept as the exchange's strings. */
export interface FeedTrade {
  readonly symbol: string;
  readonly tradeId: number;
  readonly price: string;
  readonly quantity: string;
  /** Trade time, UTC epoch milliseconds. */
  readonly time: number;
  /** The taker's side. */
  readonly side: 'buy' | 'sell';
}

export type FeedFormat = 'auto' | 'binance' | 'coinbase';

export type ParsedMessage =
  | { readonly kind: 'trade'; readonly trade: FeedTrade }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'invalid'; readonly rejection: Rejection };

type Fields = Record<string, unknown>;

const DECIMAL = /^\d+(\.\d+)?$/;
/** The latest time a JavaScript Date can represent, in epoch milliseconds. */
const MAX_TIME_MS = 8.64e15;
const parseIsoTime = createDateParser('auto', 'UTC');

/**
 * Reads one WebSocket message. Binance `trade` and `aggTrade` payloads (bare or inside a
 * combined-stream `{stream, data}` envelope) and Coinbase `match` messages become trades;
 * other messages a feed sends (subscription replies, heartbeats, klines) are ignored.
 */
export function parseTradeMessage(raw: string, format: FeedFormat): ParsedMessage {
  let message: unknown;

  try {
    message = JSON.parse(raw);
  } catch {
    return invalid('invalid-json', 'message is not valid JSON');
  }

  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return invalid('invalid-message', 'message is not a JSON object');
  }

  const fields = unwrapCombinedStream(message as Fields);

  if (format !== 'coinbase' && (fields.e === 'trade' || fields.e === 'aggTrade')) {
    return binanceTrade(fields);
  }

  if (format !== 'binance' && (fields.type === 'match' || fields.type === 'last_match')) {
    return coinbaseMatch(fields);
  }

  return { kind: 'ignored' };
}

function unwrapCombinedStream(message: Fields): Fields {
  const data = message.data;

  return typeof message.stream === 'string' && typeof data === 'object' && data !== null ? (data as Fields) : message;
}

function binanceTrade(fields: Fields): ParsedMessage {
  const idField = fields.e === 'aggTrade' ? 'a' : 't';
  const problem = checkFields(fields, [idField, 'T'], ['p', 'q'], 's');

  if (problem !== null) {
    return problem;
  }

  if ((fields.T as number) > MAX_TIME_MS) {
    return invalid('invalid-time', `T ${String(fields.T)} is past the last time a date can hold (${MAX_TIME_MS} ms)`, 'T');
  }

  // `m` is true when the buyer was the maker, so the taker sold.
  const side = fields.m === true ? 'sell' : 'buy';

  return { kind: 'trade', trade: { symbol: fields.s as string, tradeId: fields[idField] as number, price: fields.p as string, quantity: fields.q as string, time: fields.T as number, side } };
}

function coinbaseMatch(fields: Fields): ParsedMessage {
  const problem = checkFields(fields, ['trade_id'], ['price', 'size'], 'product_id');

  if (problem !== null) {
    return problem;
  }

  const time = typeof fields.time === 'string' ? parseIsoTime(fields.time) : undefined;

  if (time === undefined) {
    return invalid('invalid-time', 'time is not an ISO 8601 time', 'time');
  }

  if (fields.side !== 'buy' && fields.side !== 'sell') {
    return invalid('invalid-side', `side ${JSON.stringify(fields.side)} is not buy or sell`, 'side');
  }

  // Coinbase's `side` is the maker's side; the taker took the other one.
  const side = fields.side === 'buy' ? 'sell' : 'buy';

  return { kind: 'trade', trade: { symbol: fields.product_id as string, tradeId: fields.trade_id as number, price: fields.price as string, quantity: fields.size as string, time, side } };
}

function checkFields(fields: Fields, integers: readonly string[], decimals: readonly string[], symbol: string): ParsedMessage | null {
  for (const field of integers) {
    const value = fields[field];

    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      return invalid('invalid-field', `${field} ${JSON.stringify(value)} is not a non-negative integer`, field);
    }
  }

  for (const field of decimals) {
    const value = fields[field];

    if (typeof value !== 'string' || !DECIMAL.test(value)) {
      return invalid('invalid-field', `${field} ${JSON.stringify(value)} is not a decimal string`, field);
    }

    if (!Number.isFinite(Number(value))) {
      return invalid('non-finite-number', `${field} has ${value.length} characters, too large for a finite number`, field);
    }
  }

  if (typeof fields[symbol] !== 'string' || fields[symbol] === '') {
    return invalid('invalid-field', `${symbol} is missing`, symbol);
  }

  return null;
}

function invalid(code: string, reason: string, field?: string): ParsedMessage {
  return { kind: 'invalid', rejection: field === undefined ? { code, reason } : { code, reason, field } };
}
