import { parentPort, workerData } from 'node:worker_threads';
import { TickflowError } from '../errors.js';
import { EventLogWriter } from './event-log-writer.js';
import { isLogBatch, type LogBatch } from './log-batch.js';
import type { FromWriter, ToWriter, WriterWorkerData } from './writer-messages.js';

/**
 * Entry point of the writer thread. Each `append` message becomes one transaction, committed
 * in arrival order; the `committed` reply is what lets the event log acknowledge its events.
 * A batch that finds the database locked past the busy timeout is retried until it commits,
 * so a long outside lock delays events but drops none.
 */
function main(): void {
  const port = parentPort;

  if (port === null) {
    throw new Error('event-log-worker must run as a worker thread');
  }

  const settings = workerData as WriterWorkerData;
  const send = (message: FromWriter): void => port.postMessage(message);
  const writer = openWriter(settings, send);

  if (writer === undefined) {
    port.close();
    return;
  }

  let lastRetention = 0;

  send({ kind: 'ready', headHash: writer.headHash, count: writer.count });

  port.on('message', (message: ToWriter) => {
    if (message.kind === 'close') {
      writer.close();
      send({ kind: 'closed' });
      port.close();
      return;
    }

    if (message.kind !== 'append' || !isLogBatch(message.batch)) {
      const batchId = (message as { batchId?: unknown }).batchId;
      send({ kind: 'unreadable', message: `expected an append message with a batch of six equal columns, got ${describe(message)}`, ...(typeof batchId === 'number' ? { batchId } : {}) });
      return;
    }

    commitWithRetry(writer, settings, message.batchId, message.batch, send);

    const now = Date.now();

    if (now - lastRetention >= settings.retentionIntervalMs) {
      lastRetention = now;
      const removed = writer.applyRetention();

      if (removed > 0) {
        send({ kind: 'retention', removed, count: writer.count });
      }
    }
  });
}

/** Opens the writer, or reports why it cannot as plain data and returns undefined. */
function openWriter(settings: WriterWorkerData, send: (message: FromWriter) => void): EventLogWriter | undefined {
  try {
    return new EventLogWriter(settings);
  } catch (error) {
    const details = error instanceof TickflowError ? { ...error.details } : { file: settings.file };
    const code = error instanceof TickflowError ? error.code : 'event-log-open-failed';
    const message = error instanceof Error ? error.message : String(error);

    send({ kind: 'open-failed', code, message, details });
    return undefined;
  }
}

function describe(message: unknown): string {
  if (typeof message !== 'object' || message === null) {
    return typeof message;
  }

  return `keys ${Object.keys(message).join(', ') || 'none'}`;
}

function commitWithRetry(writer: EventLogWriter, settings: WriterWorkerData, batchId: number, batch: LogBatch, send: (message: FromWriter) => void): void {
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = writer.writeColumns(batch);
      send({ kind: 'committed', batchId, ...outcome });
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);

      if (code !== 'SQLITE_BUSY') {
        send({ kind: 'failed', batchId, message, code: typeof code === 'string' ? code : undefined });
        return;
      }

      send({ kind: 'busy', batchId, attempt, message });
      sleep(settings.retryDelayMs);
    }
  }
}

function sleep(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

main();
