import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Subscription } from 'rxjs';
import type { EventBus } from '../bus/index.js';
import { TickflowError, toError } from '../errors.js';
import { EVENT_TYPES, type AnyEvent } from '../events/index.js';
import type { Logger } from '../observability/logger.js';
import type { AppendOutcome, EventLog, EventLogCounters, EventPage, EventQuery } from './event-log.js';
import { withDefaults, type EventLogOptions, type EventLogSettings } from './event-log-options.js';
import { queryEvents } from './event-query.js';
import { addEvent, emptyBatch, type LogBatch } from './log-batch.js';
import type { FromWriter, ToWriter, WriterWorkerData } from './writer-messages.js';
import { releaseWriterLock } from './writer-lock.js';

/** Waits for the commits of the events of one `append` call. */
interface Ticket {
  remaining: number;
  inserted: number;
  duplicates: number;
  readonly attached: boolean;
  resolve(outcome: AppendOutcome): void;
  reject(error: Error): void;
}

interface SentBatch {
  readonly tickets: Ticket[];
  readonly size: number;
}

/**
 * Starts the writer thread from the file next to this module: `.js` in the compiled `dist/`,
 * `.ts` when run through tsx. On Node 20 a worker gets the parent's `--import tsx` flag but not
 * its module hooks, so a TypeScript worker is started from a small script that registers tsx
 * inside the worker before importing the writer.
 */
function startWriterWorker(workerData: WriterWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./event-log-worker.js', import.meta.url), { workerData });
  }

  const writer = JSON.stringify(new URL('./event-log-worker.ts', import.meta.url).href);
  const tsx = JSON.stringify(tsxEsmApiUrl());
  const bootstrap = `import(${tsx}).then(({ register }) => { register(); return import(${writer}); });`;

  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * Returns the URL of tsx's ESM `register` API. It is looked up through tsx's package.json
 * because this module may itself run as CommonJS under tsx, where `require.resolve` would pick
 * the CommonJS build, which cannot register ESM hooks.
 */
function tsxEsmApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };

  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api'].import.default)).href;
}

/**
 * The SQLite event log. Events are serialized here, queued, and sent in batches (by count, or
 * after a short interval) to a writer worker that commits each batch in one transaction. The
 * queue is bounded for `append`, which waits for room. `attach` cannot make the bus wait, so
 * it queues past the bound rather than lose an event, and logs a warning and counts it.
 */
export class SqliteEventLog implements EventLog {
  private pending: LogBatch = emptyBatch();
  private pendingTickets: Ticket[] = [];
  private readonly sent = new Map<number, SentBatch>();
  private readonly roomWaiters: (() => void)[] = [];
  private readonly flushWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextBatchId = 1;
  private inFlight = 0;
  private head: string;
  private rows: number;
  private stopped = false;
  private readonly exited: Promise<void>;
  private closing: Promise<void> | undefined;
  private readonly stats = { accepted: 0, duplicates: 0, attachedAccepted: 0, failedBatches: 0, busyRetries: 0, overCapacity: 0, dropped: 0 };
  private overCapacityWarned = false;

  private constructor(
    private readonly options: EventLogOptions,
    private readonly lockToken: string,
    private readonly worker: Worker,
    private readonly reader: Database.Database,
    private readonly logger: Logger,
    ready: { headHash: string; count: number },
  ) {
    this.head = ready.headHash;
    this.rows = ready.count;
    worker.on('message', (message: FromWriter) => this.onWriterMessage(message));
    worker.on('error', (error) => this.onWriterError(error));
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('exit', (code) => this.onWriterExit(code));
  }

  /** Starts the writer worker, waits until it has opened the file, and opens a reader connection. */
  static async open(settings: EventLogSettings, logger: Logger): Promise<SqliteEventLog> {
    const options = withDefaults(settings);
    const workerData: WriterWorkerData = {
      file: options.file,
      lockToken: randomUUID(),
      busyTimeoutMs: options.busyTimeoutMs,
      retryDelayMs: options.retryDelayMs,
      retentionIntervalMs: options.retentionIntervalMs,
      ...(options.retention === undefined ? {} : { retention: options.retention }),
    };
    const worker = startWriterWorker(workerData);
    const ready = await waitForReady(worker, options.file);
    const reader = await openReader(options, worker);

    logger.info({ file: options.file, rows: ready.count, headHash: ready.headHash }, 'event log opened');

    return new SqliteEventLog(options, workerData.lockToken, worker, reader, logger, ready);
  }

  get file(): string {
    return this.options.file;
  }

  attach(bus: EventBus): Subscription {
    return bus.subscribe(EVENT_TYPES, 'event-log', (event) => {
      if (this.stopped) {
        this.drop(event);
        return;
      }

      // NOTE: the bus delivers synchronously and cannot be paused, so a writer that falls
      // behind makes this queue grow past its capacity (memory) instead of losing events.
      if (this.queued() >= this.options.queueCapacity) {
        this.overCapacity(event);
      }

      this.enqueue([event], true).catch(() => undefined);
    });
  }

  async append(events: readonly AnyEvent[]): Promise<AppendOutcome> {
    if (events.length === 0) {
      return { inserted: 0, duplicates: 0 };
    }

    while (this.queued() + events.length > this.options.queueCapacity && this.queued() > 0) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }

    return this.enqueue(events, false);
  }

  async flush(): Promise<void> {
    this.sendPending();

    if (this.inFlight === 0) {
      return;
    }

    await new Promise<void>((resolve) => this.flushWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  query(query: EventQuery): EventPage {
    return queryEvents(this.reader, query);
  }

  headHash(): string {
    return this.head;
  }

  count(): number {
    return this.rows;
  }

  isWritable(): boolean {
    return !this.stopped;
  }

  counters(): EventLogCounters {
    const { accepted, duplicates, attachedAccepted, failedBatches, busyRetries, overCapacity, dropped } = this.stats;
    return { accepted, duplicates, attachedAccepted, failedBatches, busyRetries, overCapacity, dropped, queued: this.queued() };
  }

  private enqueue(events: readonly AnyEvent[], attached: boolean): Promise<AppendOutcome> {
    if (this.stopped) {
      return Promise.reject(new TickflowError('event-log-closed', `event log ${this.options.file} is closed: ${events.length} events were not stored`, { file: this.options.file }));
    }

    return new Promise<AppendOutcome>((resolve, reject) => {
      const ticket: Ticket = { remaining: events.length, inserted: 0, duplicates: 0, attached, resolve, reject };

      for (const event of events) {
        addEvent(this.pending, event);
        this.pendingTickets.push(ticket);

        if (this.pendingTickets.length >= this.options.batchSize) {
          this.sendPending();
        }
      }

      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.pendingTickets.length === 0 || this.timer !== undefined) {
      return;
    }

    this.timer = setTimeout(() => this.sendPending(), this.options.flushIntervalMs);
  }

  private sendPending(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }

    if (this.pendingTickets.length === 0) {
      return;
    }

    const batchId = this.nextBatchId++;
    const batch = this.pending;
    const size = this.pendingTickets.length;

    this.sent.set(batchId, { tickets: this.pendingTickets, size });
    this.inFlight += size;
    this.pending = emptyBatch();
    this.pendingTickets = [];
    this.post({ kind: 'append', batchId, batch });
  }

  private post(message: ToWriter): void {
    this.worker.postMessage(message);
  }

  /** Runs inside the worker's 'message' event, where a throw would crash the process, so it logs instead. */
  private onWriterMessage(message: FromWriter): void {
    try {
      this.handleWriterMessage(message);
    } catch (error) {
      const { kind, batchId } = (message ?? {}) as { kind?: unknown; batchId?: unknown };
      this.logger.error({ err: toError(error), file: this.options.file, kind, batchId }, 'event log could not handle a message from its writer');
    }
  }

  private handleWriterMessage(message: FromWriter): void {
    switch (message.kind) {
      case 'committed':
        this.onCommitted(message.batchId, message.duplicateIndexes, message.headHash, message.count);
        break;
      case 'failed':
        this.onBatchFailed(message.batchId, new TickflowError('event-log-write-failed', `event log ${this.options.file}: writing a batch failed: ${message.message}`, { file: this.options.file, sqliteCode: message.code }));
        break;
      case 'busy':
        this.stats.busyRetries++;
        this.logger.warn({ file: this.options.file, batchId: message.batchId, attempt: message.attempt, reason: message.message }, 'event log is locked by another connection; retrying the batch');
        break;
      case 'unreadable':
        this.onUnreadable(message.message, message.batchId);
        break;
      case 'retention':
        this.rows = message.count;
        this.logger.info({ file: this.options.file, removed: message.removed, rows: message.count }, 'event log retention removed old rows');
        break;
      default:
        break;
    }
  }

  private onCommitted(batchId: number, duplicateIndexes: readonly number[], headHash: string, count: number): void {
    const batch = this.takeBatch(batchId);

    this.head = headHash;
    this.rows = count;

    // A batch failed by `failEverything` while its commit was on the way has no tickets left to settle.
    if (batch === undefined) {
      this.logger.warn({ file: this.options.file, batchId, headHash, rows: count }, 'event log writer committed a batch that was no longer awaited');
      return;
    }

    const duplicates = new Set(duplicateIndexes);

    batch.tickets.forEach((ticket, index) => {
      // `accepted` counts stored rows only, so it matches the row count; duplicates stay separate.
      if (duplicates.has(index)) {
        ticket.duplicates++;
        this.stats.duplicates++;
      } else {
        ticket.inserted++;
        this.stats.accepted++;
      }

      this.stats.attachedAccepted += ticket.attached ? 1 : 0;
      this.settle(ticket);
    });

    this.afterBatch();
  }

  private onBatchFailed(batchId: number, error: TickflowError): void {
    const batch = this.takeBatch(batchId);

    this.stats.failedBatches++;

    if (batch === undefined) {
      this.logger.error({ err: error, file: this.options.file, batchId }, 'event log writer failed a batch that was no longer awaited');
      return;
    }

    this.logger.error({ err: error, file: this.options.file, batchId, events: batch.size }, 'event log batch was not stored');

    for (const ticket of new Set(batch.tickets)) {
      ticket.remaining = -1;
      ticket.reject(error);
    }

    this.afterBatch();
  }

  private onUnreadable(message: string, batchId: number | undefined): void {
    const error = new TickflowError('event-log-write-failed', `event log ${this.options.file}: the writer could not read a message: ${message}`, { file: this.options.file, batchId });

    if (batchId !== undefined && this.sent.has(batchId)) {
      this.onBatchFailed(batchId, error);
      return;
    }

    this.logger.error({ err: error, file: this.options.file, batchId }, 'event log writer could not read a message');
  }

  /** Removes a sent batch; undefined when the id is unknown or the batch was already settled. */
  private takeBatch(batchId: number): SentBatch | undefined {
    const batch = this.sent.get(batchId);

    if (batch !== undefined) {
      this.sent.delete(batchId);
      this.inFlight -= batch.size;
    }

    return batch;
  }

  private settle(ticket: Ticket): void {
    if (ticket.remaining < 0) {
      return;
    }

    ticket.remaining--;

    if (ticket.remaining === 0) {
      ticket.resolve({ inserted: ticket.inserted, duplicates: ticket.duplicates });
    }
  }

  private afterBatch(): void {
    if (this.queued() < this.options.queueCapacity) {
      this.overCapacityWarned = false;
    }

    for (const wake of this.roomWaiters.splice(0)) {
      wake();
    }

    if (this.inFlight === 0 && this.pendingTickets.length === 0) {
      for (const wake of this.flushWaiters.splice(0)) {
        wake();
      }
    }
  }

  private overCapacity(event: AnyEvent): void {
    this.stats.overCapacity++;

    // Once per episode: warned again only after the queue has drained below capacity.
    if (!this.overCapacityWarned) {
      this.overCapacityWarned = true;
      this.logger.warn(
        { file: this.options.file, eventId: event.id, queued: this.queued(), capacity: this.options.queueCapacity },
        'event log writer is behind: bus events are queued past the queue capacity',
      );
    }
  }

  private drop(event: AnyEvent): void {
    this.stats.dropped++;

    // One line per thousand keeps a stopped writer from flooding the log.
    if (this.stats.dropped % 1000 === 1) {
      this.logger.error({ file: this.options.file, eventId: event.id, dropped: this.stats.dropped }, 'event log is closed or its writer failed: bus events were not stored');
    }
  }

  private queued(): number {
    return this.inFlight + this.pendingTickets.length;
  }

  private async shutDown(): Promise<void> {
    await this.flush();
    this.stopped = true;

    // `exited` is watched from the start, so closing after the writer died resolves instead of waiting forever.
    this.post({ kind: 'close' });
    await this.exited;
    this.reader.close();
    this.logger.info({ file: this.options.file, rows: this.rows, headHash: this.head }, 'event log closed');
  }

  private onWriterError(error: unknown): void {
    this.logger.error({ err: toError(error), file: this.options.file }, 'event log writer failed');
    this.failEverything(new TickflowError('event-log-writer-failed', `event log writer for ${this.options.file} failed: ${messageOf(error)}`, { file: this.options.file }, { cause: error }));
  }

  private onWriterExit(code: number): void {
    if (!this.stopped) {
      // The dead writer cannot release its lock file, and its pid is this live process, so no later open would treat it as stale.
      releaseWriterLock(this.options.file, this.lockToken);
      this.logger.error({ file: this.options.file, exitCode: code }, 'event log writer stopped unexpectedly');
      this.failEverything(new TickflowError('event-log-writer-stopped', `event log writer for ${this.options.file} stopped with exit code ${code}`, { file: this.options.file, exitCode: code }));
    }
  }

  private failEverything(error: TickflowError): void {
    this.stopped = true;

    for (const batchId of [...this.sent.keys()]) {
      this.onBatchFailed(batchId, error);
    }

    for (const ticket of new Set(this.pendingTickets)) {
      ticket.reject(error);
    }

    this.pending = emptyBatch();
    this.pendingTickets = [];
    this.afterBatch();
  }
}

/** Opens the read connection; when that fails, stops the writer first, so its lock file is released. */
async function openReader(options: EventLogOptions, worker: Worker): Promise<Database.Database> {
  try {
    const reader = new Database(options.file, { readonly: true, fileMustExist: true });
    reader.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    return reader;
  } catch (error) {
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'close' } satisfies ToWriter);
    await exited;
    throw new TickflowError('event-log-open-failed', `cannot open event log ${options.file} for reading: ${messageOf(error)}`, { file: options.file }, { cause: error });
  }
}

/** Waits for the writer's `ready`, and turns an `open-failed` reply, an error or an early exit into a TickflowError. */
function waitForReady(worker: Worker, file: string): Promise<{ headHash: string; count: number }> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWriter): void => {
      if (message.kind === 'ready') {
        cleanUp();
        resolve({ headHash: message.headHash, count: message.count });
      } else if (message.kind === 'open-failed') {
        cleanUp();
        reject(new TickflowError(message.code, message.message, { file, ...message.details }));
      }
    };
    const onError = (error: unknown): void => {
      cleanUp();
      reject(new TickflowError('event-log-open-failed', `cannot open event log ${file}: the writer thread failed: ${messageOf(error)}`, { file }, { cause: error }));
    };
    const onExit = (code: number): void => {
      cleanUp();
      reject(new TickflowError('event-log-open-failed', `cannot open event log ${file}: the writer thread exited with code ${code} before it opened the file`, { file, exitCode: code }));
    };
    const cleanUp = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };

    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Errors thrown in a worker can arrive without their message, so this never returns `undefined`. */
function messageOf(error: unknown): string {
  if (error instanceof Error && typeof error.message === 'string' && error.message !== '') {
    return error.message;
  }

  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }

  return `${String(error)} (no message)`;
}
