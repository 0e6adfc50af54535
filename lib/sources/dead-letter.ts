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

/** Characters of a rejected record kept in its dead letter, so that one huge message does not become a huge event. */
export const MAX_RAW_CHARS = 4096;

/**
 * Builds the `deadletter` event of a rejected record, with the reason and its raw text: the
 * first MAX_RAW_CHARS characters, with `rawLength` and a note in the reason when cut.
 */
export function deadLetterEvent(input: DeadLetterInput): DeadLetterEvent {
  const id = derivedEventId(sourceEventId(input.source, input.offset), 'deadletter');
  const cut = input.raw.length > MAX_RAW_CHARS;
  const data: DeadLetterEvent['data'] = {
    raw: cut ? rawStart(input.raw) : input.raw,
    reason: cut ? `${input.rejection.reason} (raw text truncated to its first ${MAX_RAW_CHARS} of ${input.raw.length} characters)` : input.rejection.reason,
    code: input.rejection.code,
    location: input.location,
  };

  if (cut) {
    data.rawLength = input.raw.length;
  }

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

/** Returns the first MAX_RAW_CHARS characters, without splitting a surrogate pair at the cut. */
function rawStart(raw: string): string {
  const last = raw.charCodeAt(MAX_RAW_CHARS - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? MAX_RAW_CHARS - 1 : MAX_RAW_CHARS;

  return raw.slice(0, end);
}
