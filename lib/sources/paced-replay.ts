import { Observable, SchedulerLike, Subscription } from 'rxjs';
import type { AnyEvent } from '../events/index.js';
import type { EventCursor } from './event-cursor.js';
import type { ReplaySpeed } from './source-settings.js';

export interface PacedReplayOptions {
  readonly speed: ReplaySpeed;
  /** Delays between events at a factor of real time, and the yields between chunks at `max`. */
  readonly scheduler?: SchedulerLike;
  /** Events emitted at `max` speed before the source yields to the event loop. */
  readonly chunkSize?: number;
}

const DEFAULT_CHUNK = 1024;

/**
 * Emits a cursor's events. At `max` speed it emits them in chunks and yields between chunks
 * (to `setImmediate`, or to the scheduler when one is given), so a stop request and other
 * pipelines get their turn. At a factor of real time it waits (next.time - this.time) / factor
 * between events, on the scheduler. When `stop` emits, the cursor's held events (partial bars)
 * are emitted and the stream completes.
 *
 * NOTE: there is no backpressure: at `max` the source emits as fast as it reads, and a slow
 * asynchronous stage buffers what it has not yet handled.
 */
export function pacedReplay(createCursor: () => EventCursor, stop: Observable<unknown>, options: PacedReplayOptions): Observable<AnyEvent> {
  return new Observable<AnyEvent>((subscriber) => {
    const cursor = createCursor();
    let pending = Subscription.EMPTY;
    let stopping = false;
    let running = false;
    let next = cursor.read();

    const end = (): void => {
      // The event already read is emitted too: for quote files it may be the bar before the partial one.
      if (next !== undefined) {
        subscriber.next(next);
        next = undefined;
      }

      for (const event of cursor.finish()) {
        subscriber.next(event);
      }

      subscriber.complete();
    };

    const step = (): void => {
      if (subscriber.closed) {
        return;
      }

      running = true;
      const wait = stopping ? undefined : emitUntilWait();
      running = false;

      if (stopping) {
        end();
      } else if (wait === undefined) {
        subscriber.complete();
      } else {
        schedule(wait);
      }
    };

    /** Emits events until the next must wait; returns that wait in ms, or undefined at the end. */
    const emitUntilWait = (): number | undefined => {
      for (let emitted = 0; next !== undefined; emitted++) {
        if (stopping || emitted >= (options.chunkSize ?? DEFAULT_CHUNK)) {
          return 0;
        }

        const current = next;
        subscriber.next(current);
        next = cursor.read();

        if (next !== undefined && options.speed !== 'max' && next.time > current.time) {
          return (next.time - current.time) / options.speed;
        }
      }

      return undefined;
    };

    const schedule = (delay: number): void => {
      pending.unsubscribe();

      if (options.scheduler !== undefined) {
        pending = options.scheduler.schedule(step, delay);
      } else if (delay === 0) {
        const handle = setImmediate(step);
        pending = new Subscription(() => clearImmediate(handle));
      } else {
        const handle = setTimeout(step, delay);
        pending = new Subscription(() => clearTimeout(handle));
      }
    };

    // A stop during a long wait ends the replay at once instead of after the wait.
    const stopSubscription = stop.subscribe(() => {
      if (stopping || subscriber.closed) {
        return;
      }

      stopping = true;

      if (!running) {
        schedule(0);
      }
    });

    step();

    return () => {
      stopSubscription.unsubscribe();
      pending.unsubscribe();
    };
  });
}
