import { TickflowError } from '../errors.js';
import type { AnyEvent, EventType } from '../events/index.js';
import { API_SOURCE } from '../trading/signal-mapper.js';
import { openForReading } from './open-for-reading.js';

/** Market events that a replay feeds back through a pipeline. */
export const MARKET_TYPES: readonly EventType[] = ['bar', 'trade'];

/** Events a replay produces again and compares with the recorded ones. */
export const DECISION_TYPES: readonly EventType[] = ['forecast', 'signal', 'order', 'order.rejected'];

/** Which recorded events to read. */
export interface RecordedSelection {
  readonly instruments: readonly string[];
  readonly from?: number;
  readonly to?: number;
}

/**
 * Reads events of some types from a log file in the order they were stored, leaving out the
 * REST API's events, which no pipeline produces. Reads through its own read-only connection.
 */
export function readRecordedEvents(file: string, types: readonly EventType[], selection: RecordedSelection): AnyEvent[] {
  const db = openForReading(file);

  try {
    const conditions = [`type IN (${types.map(() => '?').join(', ')})`, `instrument IN (${selection.instruments.map(() => '?').join(', ')})`, 'source <> ?'];
    const params: (string | number)[] = [...types, ...selection.instruments, API_SOURCE];

    if (selection.from !== undefined) {
      conditions.push('time >= ?');
      params.push(selection.from);
    }

    if (selection.to !== undefined) {
      conditions.push('time <= ?');
      params.push(selection.to);
    }

    const rows = db.prepare(`SELECT seq, body FROM events WHERE ${conditions.join(' AND ')} ORDER BY seq`).all(...params) as { seq: number; body: string }[];
    return rows.map((row) => parseBody(file, row));
  } finally {
    db.close();
  }
}

function parseBody(file: string, row: { seq: number; body: string }): AnyEvent {
  try {
    return JSON.parse(row.body) as AnyEvent;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TickflowError('event-log-row-unreadable', `row ${row.seq} of event log ${file} is not a JSON event (${reason}): run \`tickflow log verify ${file}\` to see what changed`, { file, seq: row.seq }, { cause: error });
  }
}

/** Returns the head hash and row count of a log file, for reports. */
export function logHead(file: string): { headHash: string; rowCount: number } {
  const db = openForReading(file);

  try {
    const headHash = (db.prepare('SELECT hash FROM events ORDER BY seq DESC LIMIT 1').pluck().get() as string | undefined) ?? '';
    const rowCount = db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
    return { headHash, rowCount };
  } finally {
    db.close();
  }
}
