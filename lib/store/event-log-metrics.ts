import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventLog, EventLogCounters } from './event-log.js';

type CounterField = Exclude<keyof EventLogCounters, 'queued' | 'attachedAccepted'>;

/**
 * Exports the event log's counters. The log only increments plain numbers per event; these
 * metrics read them when Prometheus scrapes, so appending costs no prom-client call.
 */
export function registerEventLogMetrics(log: EventLog, registry: Registry): void {
  counterFrom(registry, log, 'tickflow_event_log_accepted_total', 'Events the event log inserted (ids already stored count as duplicates)', 'accepted');
  counterFrom(registry, log, 'tickflow_event_log_duplicates_total', 'Events skipped because their id was already stored', 'duplicates');
  counterFrom(registry, log, 'tickflow_event_log_failed_batches_total', 'Batches the event log writer could not store', 'failedBatches');
  counterFrom(registry, log, 'tickflow_event_log_busy_retries_total', 'Batch retries after the file was locked past the busy timeout', 'busyRetries');
  counterFrom(registry, log, 'tickflow_event_log_over_capacity_total', 'Bus events queued while the queue was at capacity', 'overCapacity');
  counterFrom(registry, log, 'tickflow_event_log_dropped_total', 'Bus events not stored because the log was closed or its writer failed', 'dropped');

  new Gauge({
    name: 'tickflow_event_log_queued',
    help: 'Events queued or in flight to the event log writer',
    registers: [registry],
    collect() {
      this.set(log.counters().queued);
    },
  });
}

function counterFrom(registry: Registry, log: EventLog, name: string, help: string, field: CounterField): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(log.counters()[field]);
    },
  });
}
