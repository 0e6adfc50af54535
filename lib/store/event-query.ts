import type Database from 'better-sqlite3';
import { TickflowError } from '../errors.js';
import type { AnyEvent } from '../events/index.js';
import type { EventPage, EventQuery } from './event-log.js';

/** Most events one query returns, whatever limit it asks for. */
export const MAX_QUERY_LIMIT = 10_000;

interface Row {
  seq: number;
  body: string;
}

/**
 * Runs a query on a connection. Pages follow the log's sequence numbers, which only grow, so
 * a cursor stays valid while events are appended and after retention removes older rows.
 */
export function queryEvents(db: Database.Database, query: EventQuery): EventPage {
  const limit = checkLimit(query.limit);
  const { where, params } = whereClause(query);
  const order = query.latest === true ? 'DESC' : 'ASC';
  const sql = `SELECT seq, body FROM events ${where} ORDER BY seq ${order} LIMIT ?`;
  const rows = db.prepare(sql).all(...params, limit + 1) as Row[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);

  if (query.latest === true) {
    page.reverse();
  }

  const events = page.map((row) => JSON.parse(row.body) as AnyEvent);
  const last = page[page.length - 1];
  const nextCursor = last === undefined ? query.cursor : encodeCursor(last.seq);
  const more = query.latest !== true && hasMore;

  return nextCursor === undefined ? { events, more } : { events, nextCursor, more };
}

/** Turns a sequence number into an opaque cursor. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

/** Reads a cursor back, or throws `invalid-cursor` naming it. */
export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^seq:(\d+)$/.exec(text);

  if (match === null) {
    throw new TickflowError('invalid-cursor', `invalid cursor "${cursor}": pass the nextCursor of an earlier page`, { cursor });
  }

  return Number(match[1]);
}

function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new TickflowError('invalid-limit', `invalid limit ${String(limit)}: expected an integer from 1 to ${MAX_QUERY_LIMIT}`, { limit });
  }

  return Math.min(limit, MAX_QUERY_LIMIT);
}

function whereClause(query: EventQuery): { where: string; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];

  if (query.types !== undefined && query.types.length > 0) {
    conditions.push(`type IN (${query.types.map(() => '?').join(', ')})`);
    params.push(...query.types);
  }

  if (query.instrument !== undefined) {
    conditions.push('instrument = ?');
    params.push(query.instrument);
  }

  if (query.from !== undefined) {
    conditions.push('time >= ?');
    params.push(query.from);
  }

  if (query.to !== undefined) {
    conditions.push('time <= ?');
    params.push(query.to);
  }

  if (query.cursor !== undefined) {
    conditions.push('seq > ?');
    params.push(decodeCursor(query.cursor));
  }

  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}
