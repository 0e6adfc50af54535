import { createHash } from 'node:crypto';

/**
 * Returns the id of an event read from a source at an offset (a line number, a trade id, a
 * sequence number). The same source and offset give the same id, so a restarted source
 * repeats its ids and the event log can drop the repeats.
 */
export function sourceEventId(source: string, offset: number | string): string {
  return `${source}:${offset}`;
}

/**
 * Returns the id of an event derived from another one, such as the forecast made from a bar.
 * Derived ids are deterministic too, so a replay produces the ids of the live run.
 */
export function derivedEventId(parentId: string, type: string, qualifier = ''): string {
  return `${parentId}>${type}${qualifier === '' ? '' : `:${qualifier}`}`;
}

/** Returns the hex SHA-256 of a string or buffer. */
export function sha256(input: string | Uint8Array): string {
  return createHash('sha256').update(input).digest('hex');
}
