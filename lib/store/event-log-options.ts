import { join } from 'node:path';
import * as t from 'io-ts';
import { NonEmptyString, NonNegativeInteger, PositiveInteger } from '../events/index.js';
import { packageRoot } from '../paths.js';
import { RetentionSettings } from './retention.js';

/** Settings of the event log, as they appear under `eventLog:` in the engine configuration. */
export const EventLogSettings = t.partial(
  {
    file: NonEmptyString,
    /** Rows per transaction: a batch is sent to the writer as soon as it has this many. */
    batchSize: PositiveInteger,
    /** Milliseconds a partial batch waits for more events before it is sent anyway. */
    flushIntervalMs: NonNegativeInteger,
    /** Events queued or in flight before `append` waits for room. */
    queueCapacity: PositiveInteger,
    /** How long SQLite waits for another connection's lock before the batch is retried. */
    busyTimeoutMs: NonNegativeInteger,
    retryDelayMs: NonNegativeInteger,
    retention: RetentionSettings,
    retentionIntervalMs: NonNegativeInteger,
  },
  'EventLogSettings',
);
export type EventLogSettings = t.TypeOf<typeof EventLogSettings>;

export type EventLogOptions = Required<Omit<EventLogSettings, 'retention'>> & { readonly retention?: RetentionSettings };

/** The default log file, `data/events.sqlite` under the package root. */
export function defaultEventLogFile(): string {
  return join(packageRoot(), 'data', 'events.sqlite');
}

/** Fills in the defaults of every setting left out. */
export function withDefaults(settings: EventLogSettings = {}): EventLogOptions {
  return {
    file: settings.file ?? defaultEventLogFile(),
    batchSize: settings.batchSize ?? 4096,
    flushIntervalMs: settings.flushIntervalMs ?? 5,
    queueCapacity: settings.queueCapacity ?? 100_000,
    busyTimeoutMs: settings.busyTimeoutMs ?? 2000,
    retryDelayMs: settings.retryDelayMs ?? 50,
    retentionIntervalMs: settings.retentionIntervalMs ?? 10_000,
    ...(settings.retention === undefined ? {} : { retention: settings.retention }),
  };
}
