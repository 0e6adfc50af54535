import type { AnyEvent } from '../events/index.js';

/** An event prepared for the writer: the indexed columns plus the JSON body. */
export interface LogRow {
  readonly id: string;
  readonly type: string;
  readonly time: number;
  readonly instrument: string;
  readonly source: string;
  readonly body: string;
}

/** Serializes an event once, on the caller's thread, so the writer only hashes and inserts. */
export function toLogRow(event: AnyEvent): LogRow {
  return {
    id: event.id,
    type: event.type,
    time: event.time,
    instrument: event.instrument,
    source: event.source,
    body: JSON.stringify(event),
  };
}
