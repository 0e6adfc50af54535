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
  /** Cursor that continues after this page; null or absent when there is nothing to continue from. */
  readonly nextCursor?: string | null;
  /**
   * Whether more matching events followed this page when it was read. When absent, a non-null
   * `nextCursor` is taken to mean more events.
   */
  readonly more?: boolean;
}

/** Returns true when more matching events follow a page. */
export function hasMorePages(page: EventPage): boolean {
  return page.more ?? (page.nextCursor !== undefined && page.nextCursor !== null);
}

/**
 * Reads the event log. Pages run forward in log order: the first page contains the oldest matching
 * events, and following `nextCursor` reaches the newest. The WebSocket gateway relies on that
 * order to send stored events before live ones.
 */
export interface EventQueryPort {
  query(query: EventQuery): EventPage | Promise<EventPage>;
}
