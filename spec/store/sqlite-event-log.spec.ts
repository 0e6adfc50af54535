import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { InProcessBus } from '../../lib/bus/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { SqliteEventLog, verifyEventLog } from '../../lib/store/index.js';
import { captureLogger } from '../support/capture-logger.js';
import { makeBar, tempFolder } from './support/events.js';

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
      await log.close();

      expect(outcome).to.deep.equal({ inserted: 1, duplicates: 1 });
      expect(count).to.equal(2);
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
});
