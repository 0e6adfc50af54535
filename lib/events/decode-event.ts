import { isLeft } from 'fp-ts/lib/Either.js';
import { EventOf, EventType, AnyEvent, eventCodecs, isEventType } from './event-types.js';
import { describeValue, formatValidationErrors, ValidationIssue } from './validation-issue.js';

export type DecodeResult<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly issues: ValidationIssue[] };

/** Decodes one event of a known type from untrusted input. */
export function decodeEventOf<T extends EventType>(type: T, input: unknown): DecodeResult<EventOf<T>> {
  const result = eventCodecs[type].decode(input);

  if (isLeft(result)) {
    return { ok: false, issues: formatValidationErrors(result.left) };
  }

  return { ok: true, value: result.right as EventOf<T> };
}

/**
 * Decodes an event of any type, choosing the codec by its `type` field. Choosing first gives
 * errors about the fields of that one type instead of a failure for every member of a union.
 */
export function decodeEvent(input: unknown): DecodeResult<AnyEvent> {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;

  if (!isEventType(type)) {
    return { ok: false, issues: [{ path: 'type', expected: 'an event type', received: describeValue(type) }] };
  }

  return decodeEventOf(type, input) as DecodeResult<AnyEvent>;
}
