import type { Observable, Subscription } from 'rxjs';
import type { EventOf, EventType } from '../events/index.js';

/** Per-type counts kept by a bus, read when metrics are collected. */
export interface BusCounters {
  published: number;
  delivered: number;
  subscriberErrors: number;
}

/**
 * The typed event bus. Every event type has its own stream; publishing is synchronous fan-out
 * in the in-process implementation. Durability is not the bus's business: an event counts as
 * accepted once the event log commits it.
 */
export interface EventBus {
  /** Delivers an event to every subscriber of its type. Throws `bus-closed` after `close()`. */
  publish<T extends EventType>(type: T, event: EventOf<T>): void;

  /** The events of one type, for composing operator chains. */
  stream<T extends EventType>(type: T): Observable<EventOf<T>>;

  /** The events of several types, in publish order, optionally filtered. */
  select<T extends EventType>(types: readonly T[], predicate?: (event: EventOf<T>) => boolean): Observable<EventOf<T>>;

  /**
   * Calls a handler for each event of the given types. A handler that throws is logged with the
   * event id and the subscriber's name, counted, and detached; other subscribers go on.
   */
  subscribe<T extends EventType>(types: T | readonly T[], name: string, handler: (event: EventOf<T>) => void): Subscription;

  /** A snapshot of the counters of every type. */
  counters(): Readonly<Record<EventType, Readonly<BusCounters>>>;

  /** How many subscriptions are attached right now, over all types. */
  liveSubscriptions(): number;

  /** Completes every stream once. Later calls do nothing. */
  close(): void;

  readonly closed: boolean;
}
