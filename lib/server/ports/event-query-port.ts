import type { AnyEvent, EventType } from '../../events/index.js';

/** A query on the event log. Times are event times in UTC epoch milliseconds, both bounds inclusive. */
export interface EventQuery {
  readonly types?: readonly EventType[];
  readonly instrument?: string;
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** One page of events, oldest first (newest last). */
export interface EventPage {
  readonly events: readonly AnyEvent[];
  /** Cursor of the following page; null or absent when this page is the last. */
  readonly nextCursor?: string | null;
}

/**
 * Reads the event log. Pages run forward in log order: the first page holds the oldest matching
 * events, and following `nextCursor` reaches the newest. The WebSocket gateway relies on that
 * order to send stored events before live ones.
 */
export interface EventQueryPort {
  query(query: EventQuery): EventPage | Promise<EventPage>;
}
