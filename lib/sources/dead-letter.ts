import { derivedEventId, sourceEventId, type DeadLetterEvent } from '../events/index.js';

/** The reason a record was rejected. */
export interface Rejection {
  readonly code: string;
  readonly reason: string;
  readonly field?: string;
}

export interface DeadLetterInput {
  readonly source: string;
  /** The record's offset in its source: a line number or a message number. */
  readonly offset: number | string;
  readonly time: number;
  readonly ingestTime: number;
  readonly instrument: string;
  readonly raw: string;
  readonly location: string;
  readonly rejection: Rejection;
}

/** Builds the `deadletter` event of a rejected record, with its raw text and the reason. */
export function deadLetterEvent(input: DeadLetterInput): DeadLetterEvent {
  const id = derivedEventId(sourceEventId(input.source, input.offset), 'deadletter');
  const data: DeadLetterEvent['data'] = {
    raw: input.raw,
    reason: input.rejection.reason,
    code: input.rejection.code,
    location: input.location,
  };

  if (input.rejection.field !== undefined) {
    data.field = input.rejection.field;
  }

  return {
    id,
    type: 'deadletter',
    time: Math.max(0, input.time),
    ingestTime: input.ingestTime,
    source: input.source,
    correlationId: id,
    instrument: input.instrument,
    data,
  };
}
