import type { Subscription } from 'rxjs';
import type { EventBus } from '../bus/index.js';
import type { AnyEvent, EventType } from '../events/index.js';
import { ServiceKey } from '../services.js';

/** Filter and page of an event log query. */
export interface EventQuery {
  readonly types?: readonly EventType[];
  readonly instrument?: string;
  /** Event time at or after, UTC epoch milliseconds. */
  readonly from?: number;
  /** Event time at or before, UTC epoch milliseconds. */
  readonly to?: number;
  readonly limit: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** Return the newest `limit` matches instead of paging forward from the start or the cursor. */
  readonly latest?: boolean;
}

/** One page of a query, oldest first and newest last, in the order the log stored them. */
export interface EventPage {
  readonly events: AnyEvent[];
  /**
   * Pass it back as `cursor` for the events stored after this page. It points after the last
   * event returned (or repeats the given cursor for an empty page), so a poller can follow the log.
   */
  readonly nextCursor?: string;
  /** True when more matching events were stored after this page when it was read. */
  readonly more: boolean;
}

/** What an append did once its transactions committed. */
export interface AppendOutcome {
  /** Events stored by this append. */
  readonly inserted: number;
  /** Events whose id was already stored, so they were skipped. */
  readonly duplicates: number;
}

/** Counters of an event log, for metrics and the run report. */
export interface EventLogCounters {
  /** Events inserted since the log was opened; ids already stored count in `duplicates` instead. */
  readonly accepted: number;
  readonly duplicates: number;
  /** Events handed over by `attach` and committed (inserted or found already stored). */
  readonly attachedAccepted: number;
  /** Events waiting for a commit right now. */
  readonly queued: number;
  readonly failedBatches: number;
  readonly busyRetries: number;
  /** Events `attach` queued while the queue was full: the writer fell behind the bus. */
  readonly overCapacity: number;
  /** Events `attach` received after the writer stopped or failed, which were not stored. */
  readonly dropped: number;
}

/**
 * The audit log of every event. An event counts as accepted only once the transaction that
 * stores it has committed; `append` resolves then.
 */
export interface EventLog {
  /**
   * Appends every event the bus publishes until the subscription is dropped. Events are queued
   * even past the queue capacity. Only a stopped writer loses them, counted in `dropped`.
   */
  attach(bus: EventBus): Subscription;
  /** Stores events and resolves once they are committed; waits for room when the queue is full. */
  append(events: readonly AnyEvent[]): Promise<AppendOutcome>;
  /** Sends whatever is queued now and resolves when everything sent so far is committed. */
  flush(): Promise<void>;
  /** Flushes, stops the writer and closes every connection. */
  close(): Promise<void>;
  query(query: EventQuery): EventPage;
  /** Hash of the newest committed row, the empty string for an empty log. */
  headHash(): string;
  /** Rows in the log. */
  count(): number;
  /** False once the writer has stopped or failed. */
  isWritable(): boolean;
  counters(): EventLogCounters;
}

export const EVENT_LOG = new ServiceKey<EventLog>('event-log');
