import type { AnyEvent, EventType } from '../../events/index.js';
import type { OverflowPolicy } from './client-frames.js';
import type { EventFilter } from './filter-compiler.js';
import { DropOldestQueue, KeepLatestQueue, type FrameQueue } from './frame-queue.js';
import { eventFramePrefix } from './server-frames.js';

export interface SubscriptionSpec {
  readonly id: string;
  readonly types: readonly EventType[];
  readonly filter: EventFilter;
  readonly onOverflow: OverflowPolicy;
  /** Dotted path of the field that keys `keep-latest` queues. */
  readonly key: string;
  readonly maxQueue: number;
  readonly since?: number;
}

/** The session that a subscription hands its frames to. */
export interface FrameSink {
  deliver(subscription: GatewaySubscription, frame: Buffer, event: AnyEvent): void;
  close(code: number, reason: string, metricReason: string): void;
}

interface PendingLive {
  readonly frame: Buffer;
  readonly event: AnyEvent;
}

/**
 * One subscription of a session: its filter, its bounded queue and its drop counts. While
 * stored events are being sent (`since`), live events wait in a bounded buffer and are
 * delivered after them, skipping any the history already contained.
 */
export class GatewaySubscription {
  readonly id: string;
  readonly types: readonly EventType[];
  readonly onOverflow: OverflowPolicy;
  readonly since?: number;
  readonly prefix: string;
  readonly queue: FrameQueue;
  /** Frames dropped since the subscription started. */
  dropped = 0;
  /** Frames dropped since the last `lagged` frame. */
  unreported = 0;
  disposed = false;

  private readonly filter: EventFilter;
  private readonly keyPath: readonly string[];
  private readonly maxQueue: number;
  private pending: PendingLive[] | null = null;
  private pendingIds = new Set<string>();
  private seenInHistory = new Set<string>();
  /** Live events pushed out of the full buffer during history; the log has them, so they count as drops only if the history never reaches them. */
  private pendingOverflow = 0;

  constructor(readonly sink: FrameSink, spec: SubscriptionSpec) {
    this.id = spec.id;
    this.types = spec.types;
    this.onOverflow = spec.onOverflow;
    this.since = spec.since;
    this.filter = spec.filter;
    this.keyPath = spec.key.split('.');
    this.maxQueue = spec.maxQueue;
    this.prefix = eventFramePrefix(spec.id);
    this.queue = spec.onOverflow === 'keep-latest' ? new KeepLatestQueue(spec.maxQueue) : new DropOldestQueue(spec.maxQueue);
  }

  matches(event: AnyEvent): boolean {
    return this.filter(event);
  }

  /** Returns the value of the policy key in an event, as a string. */
  keyOf(event: AnyEvent): string {
    let value: unknown = event;

    for (const segment of this.keyPath) {
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }

    return String(value);
  }

  /** Hands a live event on, or buffers it while stored events are still being sent. */
  offer(frame: Buffer, event: AnyEvent): void {
    if (this.pending === null) {
      this.sink.deliver(this, frame, event);
      return;
    }

    if (this.pending.length >= this.maxQueue) {
      const oldest = this.pending.shift() as PendingLive;

      this.pendingIds.delete(oldest.event.id);
      this.pendingOverflow++;
    }

    this.pending.push({ frame, event });
    this.pendingIds.add(event.id);
  }

  /** Starts buffering live events until `goLive()`. */
  startReplay(): void {
    this.pending = [];
  }

  /** Notes a stored event as sent, so the same event buffered live is not sent twice. */
  noteHistoryEvent(id: string): void {
    if (this.pendingIds.has(id)) {
      this.seenInHistory.add(id);
    }
  }

  /**
   * True when the live buffer overflowed and the history has not yet reached its oldest
   * remaining event, so events between the history read so far and the buffer are missing.
   */
  hasGapBeforeLive(): boolean {
    const oldest = this.pending?.[0];

    return this.pendingOverflow > 0 && oldest !== undefined && !this.seenInHistory.has(oldest.event.id);
  }

  /** Delivers the buffered live events the history did not contain, then passes live events straight on. */
  goLive(): void {
    const pending = this.pending ?? [];

    if (this.hasGapBeforeLive()) {
      this.recordDrops(this.pendingOverflow);
    }

    this.pending = null;
    this.pendingOverflow = 0;

    for (const entry of pending) {
      if (!this.seenInHistory.has(entry.event.id)) {
        this.sink.deliver(this, entry.frame, entry.event);
      }
    }

    this.pendingIds = new Set();
    this.seenInHistory = new Set();
  }

  recordDrops(frames: number): void {
    this.dropped += frames;
    this.unreported += frames;
  }

  dispose(): void {
    this.disposed = true;
    this.pending = null;
    this.pendingIds.clear();
    this.seenInHistory.clear();
    this.queue.clear();
  }
}
