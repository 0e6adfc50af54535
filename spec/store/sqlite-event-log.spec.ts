import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { InProcessBus } from '../../lib/bus/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { SqliteEventLog, verifyEventLog } from '../../lib/store/index.js';
import { captureLogger } from '../support/capture-logger.js';
import { lockFileOf } from '../../lib/store/writer-lock.js';
import { makeBar, tempFolder } from './support/events.js';

/** The writer thread of a log, reached past `private` to simulate its failures and late replies. */
function writerOf(log: SqliteEventLog): Worker {
  return (log as unknown as { worker: Worker }).worker;
}

function linesWith(lines: Record<string, unknown>[], text: string): Record<string, unknown>[] {
  return lines.filter((line) => String(line.msg).includes(text));
}

describe('SqliteEventLog', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;

  beforeEach(() => {
    temp = tempFolder();
    file = join(temp.folder, 'nested', 'events.sqlite');
  });

  afterEach(() => temp.remove());

  describe('#append', () => {
    it('resolves once events are committed', async () => {
      const log = await SqliteEventLog.open({ file }, silentLogger());
      const outcome = await log.append([makeBar(0, 100), makeBar(1, 101)]);

      const other = new Database(file, { readonly: true });
      const stored = other.prepare('SELECT COUNT(*) FROM events').pluck().get();
      other.close();
      await log.close();

      expect(outcome).to.deep.equal({ inserted: 2, duplicates: 0 });
      expect(stored).to.equal(2);
    });

    it('skips events whose id is stored', async () => {
      const log = await SqliteEventLog.open({ file }, silentLogger());
      await log.append([makeBar(0, 100)]);
      const outcome = await log.append([makeBar(0, 100), makeBar(1, 101)]);
      const count = log.count();
      const counters = log.counters();
      await log.close();

      expect(outcome).to.deep.equal({ inserted: 1, duplicates: 1 });
      expect(count).to.equal(2);
      expect(counters).to.include({ accepted: 2, duplicates: 1 });
      expect(verifyEventLog(file).ok).to.equal(true);
    });

    it('batches by count', async () => {
      const log = await SqliteEventLog.open({ file, batchSize: 10, flushIntervalMs: 10_000 }, silentLogger());
      const bars = Array.from({ length: 25 }, (_, i) => makeBar(i, 100 + i));
      const pending = log.append(bars);

      // 20 rows go out in two full batches; the last 5 wait for flush.
      await log.flush();
      const outcome = await pending;
      await log.close();

      expect(outcome.inserted).to.equal(25);
    });

    it('waits for room in a full queue', async () => {
      const log = await SqliteEventLog.open({ file, batchSize: 4, queueCapacity: 8 }, silentLogger());
      const results = await Promise.all(Array.from({ length: 10 }, (_, chunk) => log.append(Array.from({ length: 4 }, (_, i) => makeBar(chunk * 4 + i, 100)))));
      const count = log.count();
      await log.close();

      expect(results.every((result) => result.inserted === 4)).to.equal(true);
      expect(count).to.equal(40);
    });

    it('rejects after close', async () => {
      const log = await SqliteEventLog.open({ file }, silentLogger());
      await log.close();

      let error: unknown;
      await log.append([makeBar(0, 1)]).catch((caught: unknown) => (error = caught));

      expect(error).to.have.property('code', 'event-log-closed');
      expect(log.isWritable()).to.equal(false);
    });
  });

  describe('#attach', () => {
    it('stores every bus event', async () => {
      const bus = new InProcessBus(silentLogger());
      const log = await SqliteEventLog.open({ file }, silentLogger());
      const subscription = log.attach(bus);

      for (let i = 0; i < 50; i++) bus.publish('bar', makeBar(i, 100 + i));
      await log.flush();
      subscription.unsubscribe();
      const counters = log.counters();
      await log.close();

      expect(counters.attachedAccepted).to.equal(50);
      expect(counters.queued).to.equal(0);
    });

    it('queues past the capacity rather than lose events', async () => {
      const bus = new InProcessBus(silentLogger());
      const { logger, lines } = captureLogger();
      const log = await SqliteEventLog.open({ file, queueCapacity: 5, batchSize: 1000, flushIntervalMs: 60_000 }, logger);
      const subscription = log.attach(bus);

      for (let i = 0; i < 20; i++) bus.publish('bar', makeBar(i, 100 + i));
      await log.flush();
      subscription.unsubscribe();
      const counters = log.counters();
      await log.close();

      expect(counters).to.include({ attachedAccepted: 20, overCapacity: 15, dropped: 0 });
      expect(verifyEventLog(file)).to.include({ ok: true, rows: 20 });
      expect(lines.filter((line) => String(line.msg).includes('queued past the queue capacity'))).to.have.length(1);
    });

    it('counts and logs events it receives after closing', async () => {
      const bus = new InProcessBus(silentLogger());
      const { logger, lines } = captureLogger();
      const log = await SqliteEventLog.open({ file }, logger);
      log.attach(bus);
      await log.close();

      bus.publish('bar', makeBar(0, 100));

      expect(log.counters().dropped).to.equal(1);
      expect(lines.some((line) => line.level === 50 && String(line.msg).includes('were not stored'))).to.equal(true);
    });
  });

  describe('#open', () => {
    it('continues the chain after reopening', async () => {
      const first = await SqliteEventLog.open({ file }, silentLogger());
      await first.append([makeBar(0, 100)]);
      const headBefore = first.headHash();
      await first.close();

      const second = await SqliteEventLog.open({ file }, silentLogger());
      const headReopened = second.headHash();
      await second.append([makeBar(1, 101)]);
      await second.close();

      expect(headReopened).to.equal(headBefore);
      expect(verifyEventLog(file)).to.include({ ok: true, rows: 2 });
    });

    it('sets WAL and synchronous FULL', async () => {
      const log = await SqliteEventLog.open({ file }, silentLogger());
      await log.close();
      const db = new Database(file, { readonly: true });
      const mode = db.pragma('journal_mode', { simple: true });
      db.close();

      expect(mode).to.equal('wal');
    });
  });

  describe('#close', () => {
    it('leaves every row in the database file itself', async () => {
      const log = await SqliteEventLog.open({ file }, silentLogger());
      await log.append(Array.from({ length: 500 }, (_, index) => makeBar(index, 100 + index)));
      // A query opens the read connection on the WAL, as the REST and WebSocket routes do.
      expect(log.query({ limit: 10 }).events).to.have.length(10);
      await log.close();

      const copy = join(temp.folder, 'copy.sqlite');
      copyFileSync(file, copy);
      const db = new Database(copy, { readonly: true });
      const rows = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
      db.close();

      expect(rows.n).to.equal(500);
    });
  });

  describe('writer replies', () => {
    it('logs a commit of an unknown batch', async () => {
      const { logger, lines } = captureLogger();
      const log = await SqliteEventLog.open({ file }, logger);

      writerOf(log).emit('message', { kind: 'committed', batchId: 9999, inserted: 0, duplicateIndexes: [], headHash: log.headHash(), count: 0 });
      const outcome = await log.append([makeBar(0, 100)]);
      await log.close();

      expect(outcome.inserted).to.equal(1);
      expect(linesWith(lines, 'no longer awaited')[0]).to.include({ batchId: 9999, level: 40 });
    });

    it('logs a failure of an unknown batch', async () => {
      const { logger, lines } = captureLogger();
      const log = await SqliteEventLog.open({ file }, logger);

      writerOf(log).emit('message', { kind: 'failed', batchId: 9998, message: 'disk I/O error', code: 'SQLITE_IOERR' });
      const counters = log.counters();
      await log.close();

      expect(counters.failedBatches).to.equal(1);
      expect(linesWith(lines, 'no longer awaited')[0]).to.include({ batchId: 9998, level: 50 });
    });

    it('survives a reply it cannot read', async () => {
      const { logger, lines } = captureLogger();
      const log = await SqliteEventLog.open({ file }, logger);

      writerOf(log).emit('message', null);
      const outcome = await log.append([makeBar(0, 100)]);
      await log.close();

      expect(outcome.inserted).to.equal(1);
      expect(linesWith(lines, 'could not handle a message')).to.have.length(1);
    });

    it('logs a message the writer cannot read', async () => {
      const { logger, lines } = captureLogger();
      const log = await SqliteEventLog.open({ file }, logger);

      writerOf(log).postMessage({ kind: 'append', batchId: 4242, rows: [] });
      const outcome = await log.append([makeBar(0, 100)]);
      await log.close();

      expect(outcome.inserted).to.equal(1);
      expect(linesWith(lines, 'could not read a message')[0]).to.include({ batchId: 4242 });
    });

    it('fails the batch of a message the writer cannot read', async () => {
      // One row per batch sends the batch at once, as batch 1.
      const log = await SqliteEventLog.open({ file, batchSize: 1 }, silentLogger());
      const pending = log.append([makeBar(0, 100)]).catch((error: unknown) => error as Error);

      writerOf(log).emit('message', { kind: 'unreadable', batchId: 1, message: 'expected an append message' });
      const error = await pending;
      await log.close();

      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.contain('could not read a message');
    });
  });

  describe('#close', () => {
    it('releases the lock of a writer that died', async () => {
      const log = await SqliteEventLog.open({ file }, silentLogger());

      await writerOf(log).terminate();
      const reopened = await SqliteEventLog.open({ file }, silentLogger());
      const outcome = await reopened.append([makeBar(0, 100)]);
      await reopened.close();
      await log.close();

      expect(log.isWritable()).to.equal(false);
      expect(outcome.inserted).to.equal(1);
      expect(existsSync(lockFileOf(file))).to.equal(false);
    });
  });
});
