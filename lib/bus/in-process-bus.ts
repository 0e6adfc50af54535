import { merge, Observable, Subject, Subscription } from 'rxjs';
import { filter } from 'rxjs/operators';
import { TickflowError, toError } from '../errors.js';
import { AnyEvent, EVENT_TYPES, EventOf, EventType } from '../events/index.js';
import type { Logger } from '../observability/logger.js';
import type { BusCounters, EventBus } from './event-bus.js';

interface PendingPublish {
  readonly type: EventType;
  readonly event: AnyEvent;
}

/** The Subject and the counters of one event type, kept together so a publish looks up one object. */
interface Channel {
  readonly subject: Subject<AnyEvent>;
  readonly counters: BusCounters;
}

/**
 * The in-process bus: one RxJS Subject per event type.
 *
 * Re-entrancy: an event published while another is being delivered (from inside a subscriber)
 * is queued and delivered after the current event has reached every subscriber. So every
 * subscriber receives events in one global publish order, breadth first, and never receives
 * an effect before its cause.
 */
export class InProcessBus implements EventBus {
  private readonly channels = new Map<EventType, Channel>();
  private readonly pending: PendingPublish[] = [];
  private delivering = false;
  private isClosed = false;
  private live = 0;

  constructor(private readonly logger: Logger) {
    for (const type of EVENT_TYPES) {
      this.channels.set(type, { subject: new Subject<AnyEvent>(), counters: { published: 0, delivered: 0, subscriberErrors: 0 } });
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  publish<T extends EventType>(type: T, event: EventOf<T>): void {
    if (this.isClosed) {
      throw new TickflowError('bus-closed', `cannot publish ${type} event ${event.id}: the bus is closed`, { type, eventId: event.id });
    }

    if (this.delivering) {
      this.pending.push({ type, event: event as AnyEvent });
      return;
    }

    const channel = this.channelOf(type);

    this.delivering = true;

    try {
      channel.counters.published++;
      channel.subject.next(event as AnyEvent);

      if (this.pending.length > 0) {
        this.drainPending();
      }
    } finally {
      this.delivering = false;
    }
  }

  stream<T extends EventType>(type: T): Observable<EventOf<T>> {
    const { subject, counters } = this.channelOf(type);

    return new Observable<EventOf<T>>((subscriber) => {
      this.live++;

      const inner = subject.subscribe({
        next: (event) => {
          counters.delivered++;
          subscriber.next(event as EventOf<T>);
        },
        complete: () => subscriber.complete(),
      });

      return () => {
        this.live--;
        inner.unsubscribe();
      };
    });
  }

  select<T extends EventType>(types: readonly T[], predicate?: (event: EventOf<T>) => boolean): Observable<EventOf<T>> {
    const merged = merge(...types.map((type) => this.stream(type)));

    return predicate === undefined ? merged : merged.pipe(filter(predicate));
  }

  subscribe<T extends EventType>(types: T | readonly T[], name: string, handler: (event: EventOf<T>) => void): Subscription {
    const list: readonly T[] = typeof types === 'string' ? [types as T] : (types as readonly T[]);
    const subscription = new Subscription();

    for (const type of list) {
      subscription.add(this.attachHandler(type, name, handler, subscription));
    }

    return subscription;
  }

  counters(): Readonly<Record<EventType, Readonly<BusCounters>>> {
    const snapshot = {} as Record<EventType, BusCounters>;

    for (const [type, channel] of this.channels) {
      snapshot[type] = { ...channel.counters };
    }

    return snapshot;
  }

  liveSubscriptions(): number {
    return this.live;
  }

  close(): void {
    if (this.isClosed) {
      return;
    }

    this.isClosed = true;

    for (const channel of this.channels.values()) {
      channel.subject.complete();
    }
  }

  private attachHandler<T extends EventType>(
    type: T,
    name: string,
    handler: (event: EventOf<T>) => void,
    owner: Subscription,
  ): Subscription {
    const { subject, counters } = this.channelOf(type);

    this.live++;

    const inner = subject.subscribe((event) => {
      counters.delivered++;

      try {
        handler(event as EventOf<T>);
      } catch (error) {
        counters.subscriberErrors++;
        this.logger.error({ err: toError(error), eventId: event.id, eventType: type, subscriber: name }, 'bus subscriber failed and was detached');
        owner.unsubscribe();
      }
    });

    return new Subscription(() => {
      this.live--;
      inner.unsubscribe();
    });
  }

  private deliver(type: EventType, event: AnyEvent): void {
    const channel = this.channelOf(type);

    channel.counters.published++;
    channel.subject.next(event);
  }

  private drainPending(): void {
    // Index walk instead of shift(): shift is O(n) per call on long queues.
    let index = 0;

    while (index < this.pending.length) {
      const next = this.pending[index++];
      this.deliver(next.type, next.event);
    }

    this.pending.length = 0;
  }

  private channelOf(type: EventType): Channel {
    const channel = this.channels.get(type);

    if (channel === undefined) {
      throw new TickflowError('unknown-event-type', `unknown event type "${String(type)}"`, { type });
    }

    return channel;
  }
}
