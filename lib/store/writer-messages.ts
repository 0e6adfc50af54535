import type { LogBatch } from './log-batch.js';
import type { RetentionSettings } from './retention.js';

/** Settings handed to the writer worker as its `workerData`. */
export interface WriterWorkerData {
  readonly file: string;
  readonly busyTimeoutMs: number;
  /** Wait between retries of a batch that found the database locked past the busy timeout. */
  readonly retryDelayMs: number;
  readonly retention?: RetentionSettings;
  /** Minimum wall time between two retention passes. */
  readonly retentionIntervalMs: number;
  /** Written into the lock file, so the event log can release the lock if the worker dies. */
  readonly lockToken: string;
}

/** Messages from the event log to its writer worker. */
export type ToWriter = { readonly kind: 'append'; readonly batchId: number; readonly batch: LogBatch } | { readonly kind: 'close' };

/** Messages from the writer worker back to the event log. */
export type FromWriter =
  | { readonly kind: 'ready'; readonly headHash: string; readonly count: number }
  /** The writer could not open the file. Errors lose their message crossing threads, so it travels as plain data. */
  | { readonly kind: 'open-failed'; readonly code: string; readonly message: string; readonly details: Record<string, unknown> }
  /** A message the writer could not read, such as one from a build of another version. */
  | { readonly kind: 'unreadable'; readonly message: string; readonly batchId?: number }
  | {
      readonly kind: 'committed';
      readonly batchId: number;
      readonly inserted: number;
      readonly duplicateIndexes: number[];
      readonly headHash: string;
      readonly count: number;
    }
  | { readonly kind: 'busy'; readonly batchId: number; readonly attempt: number; readonly message: string }
  | { readonly kind: 'retention'; readonly removed: number; readonly count: number }
  | { readonly kind: 'failed'; readonly batchId: number; readonly message: string; readonly code?: string }
  | { readonly kind: 'closed' };
