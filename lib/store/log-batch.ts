import type { AnyEvent } from '../events/index.js';
import type { LogRow } from './log-row.js';

/**
 * The rows of one batch as columns. The batch crosses to the writer thread by structured
 * clone, and six arrays of strings and numbers copy several times faster than one small
 * object per row.
 */
export interface LogBatch {
  readonly ids: string[];
  readonly types: string[];
  readonly times: number[];
  readonly instruments: string[];
  readonly sources: string[];
  /** The event serialized once; it is stored as is and is what the chain hash covers. */
  readonly bodies: string[];
}

export function emptyBatch(): LogBatch {
  return { ids: [], types: [], times: [], instruments: [], sources: [], bodies: [] };
}

/** Serializes an event into the batch, on the caller's thread, so the writer only hashes and inserts. */
export function addEvent(batch: LogBatch, event: AnyEvent): void {
  batch.ids.push(event.id);
  batch.types.push(event.type);
  batch.times.push(event.time);
  batch.instruments.push(event.instrument);
  batch.sources.push(event.source);
  batch.bodies.push(JSON.stringify(event));
}

/** Turns prepared rows into a batch. */
export function batchOf(rows: readonly LogRow[]): LogBatch {
  return {
    ids: rows.map((row) => row.id),
    types: rows.map((row) => row.type),
    times: rows.map((row) => row.time),
    instruments: rows.map((row) => row.instrument),
    sources: rows.map((row) => row.source),
    bodies: rows.map((row) => row.body),
  };
}

const COLUMNS = ['ids', 'types', 'times', 'instruments', 'sources', 'bodies'] as const;

/** Checks that a value received from another thread has the six columns, all of one length. */
export function isLogBatch(value: unknown): value is LogBatch {
  if (typeof value !== 'object' || value === null) {
    return false;
  }

  const columns = COLUMNS.map((name) => (value as Record<string, unknown>)[name]);
  const length = (columns[0] as unknown[] | undefined)?.length;

  return columns.every((column) => Array.isArray(column) && column.length === length);
}
