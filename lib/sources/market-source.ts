import type { Observable, SchedulerLike } from 'rxjs';
import type { AnyEvent, EventType } from '../events/index.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../time/clock.js';

/** An instrument of a pipeline, as the sources see it. */
export interface SourceInstrument {
  readonly id: string;
  /** Accept prices at or below zero (some futures and power prices go negative). */
  readonly allowNegativePrices: boolean;
}

/** The settings and services a source gets from the pipeline that opens it. */
export interface SourceContext {
  readonly instruments: readonly SourceInstrument[];
  /** Folder that relative file paths are resolved against: the pipeline file's folder. */
  readonly baseDir: string;
  readonly logger: Logger;
  /** Stamps `ingestTime`. */
  readonly clock: Clock;
  /** Schedules paced replay and reconnect delays; tests pass a virtual-time scheduler. */
  readonly scheduler?: SchedulerLike;
}

/**
 * A source of market events: bars and trades, plus a `deadletter` event for each bad record.
 * `open` returns a cold stream; when `stop` emits, the source stops reading, emits what it has
 * aggregated so far (a partial bar), and completes.
 */
export interface MarketSource {
  /** The envelope `source` of its events, such as `csv:sp500`. */
  readonly name: string;
  /** Market event types it emits, besides `deadletter`. */
  readonly emits: readonly EventType[];
  open(stop: Observable<unknown>): Observable<AnyEvent>;
}
