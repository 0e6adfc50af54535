import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { EventLogWriter, toLogRow, verifyEventLog } from '../../lib/store/index.js';
import { makeBar, tempFolder } from './support/events.js';

function writeLog(file: string, rows: number): string {
  const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
  writer.writeBatch(Array.from({ length: rows }, (_, i) => toLogRow(makeBar(i, 100 + i))));
  const head = writer.headHash;
  writer.close();
  return head;
}

function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

describe('verifyEventLog', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;

  beforeEach(() => {
    temp = tempFolder();
    file = join(temp.folder, 'events.sqlite');
  });

  afterEach(() => temp.remove());

  it('accepts an intact log', () => {
    const head = writeLog(file, 10);
    const result = verifyEventLog(file, { head });

    expect(result).to.deep.equal({ ok: true, rows: 10, headHash: head });
  });

  it('reports a changed row', () => {
    writeLog(file, 10);
    tamper(file, `UPDATE events SET body = replace(body, '"close":104', '"close":999') WHERE seq = 5`);
    const result = verifyEventLog(file);

    expect(result.ok).to.equal(false);
    expect(result.problem).to.include({ seq: 5, kind: 'changed' });
  });

  it('reports a changed indexed column', () => {
    writeLog(file, 10);
    tamper(file, `UPDATE events SET instrument = 'NDX' WHERE seq = 3`);

    expect(verifyEventLog(file).problem).to.include({ seq: 3, kind: 'changed' });
  });

  it('reports a row whose hash was recomputed', () => {
    writeLog(file, 10);
    tamper(file, `UPDATE events SET hash = 'f00' WHERE seq = 6`);

    expect(verifyEventLog(file).problem).to.include({ seq: 6, kind: 'changed' });
  });

  it('reports a deleted middle row', () => {
    writeLog(file, 10);
    tamper(file, 'DELETE FROM events WHERE seq = 4');
    const result = verifyEventLog(file);

    expect(result.ok).to.equal(false);
    expect(result.problem).to.include({ seq: 4, kind: 'removed' });
    expect(result.rows).to.equal(3);
  });

  it('reports a deleted first row', () => {
    writeLog(file, 10);
    tamper(file, 'DELETE FROM events WHERE seq = 1');

    expect(verifyEventLog(file).problem).to.include({ seq: 1, kind: 'removed' });
  });

  it('reports a truncated tail with the head', () => {
    const head = writeLog(file, 10);
    tamper(file, 'DELETE FROM events WHERE seq > 7');

    expect(verifyEventLog(file).ok).to.equal(true);
    expect(verifyEventLog(file, { head }).problem).to.include({ seq: 8, kind: 'truncated' });
  });

  it('accepts rows appended after the head', () => {
    const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
    writer.writeBatch([toLogRow(makeBar(0, 100))]);
    const head = writer.headHash;
    writer.writeBatch([toLogRow(makeBar(1, 101))]);
    writer.close();

    expect(verifyEventLog(file, { head }).ok).to.equal(true);
  });

  it('throws for a missing file', () => {
    expect(() => verifyEventLog(join(temp.folder, 'none.sqlite'))).to.throw(/does not exist/);
  });
});

describe('EventLogWriter', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;

  beforeEach(() => {
    temp = tempFolder();
    file = join(temp.folder, 'events.sqlite');
  });

  afterEach(() => temp.remove());

  describe('#writeBatch', () => {
    it('chains only the rows it inserts', () => {
      const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
      writer.writeBatch([toLogRow(makeBar(0, 100))]);
      const rows = Array.from({ length: 300 }, (_, i) => toLogRow(makeBar(i, 100 + i)));
      const outcome = writer.writeBatch([...rows, rows[5]]);
      writer.close();

      expect(outcome).to.include({ inserted: 299, count: 300 });
      expect(outcome.duplicateIndexes).to.deep.equal([0, 300]);
      expect(verifyEventLog(file, { head: outcome.headHash })).to.include({ ok: true, rows: 300 });
    });

    it('chains around stored ids past the first chunk', () => {
      const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
      const rows = Array.from({ length: 400 }, (_, i) => toLogRow(makeBar(i, 100 + i)));
      writer.writeBatch([rows[200], rows[399]]);
      const outcome = writer.writeBatch([...rows, rows[7]]);
      writer.close();

      expect(outcome).to.include({ inserted: 398, count: 400 });
      expect(outcome.duplicateIndexes).to.deep.equal([200, 399, 400]);
      expect(verifyEventLog(file, { head: outcome.headHash })).to.include({ ok: true, rows: 400 });
    });

    it('leaves the chain as it was when a batch fails', () => {
      const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
      writer.writeBatch([toLogRow(makeBar(0, 100))]);
      const head = writer.headHash;
      const broken = { ...toLogRow(makeBar(1, 101)), type: null as unknown as string };

      expect(() => writer.writeBatch([toLogRow(makeBar(2, 102)), broken])).to.throw(/NOT NULL/);
      const outcome = writer.writeBatch([toLogRow(makeBar(3, 103))]);
      writer.close();

      expect(writer.headHash).to.not.equal(head);
      expect(verifyEventLog(file)).to.include({ ok: true, rows: 2 });
      expect(outcome.count).to.equal(2);
    });
  });

  describe('#applyRetention', () => {
    it('keeps the newest rows by count', () => {
      const writer = new EventLogWriter({ file, busyTimeoutMs: 1000, retention: { maxRows: 4 } });
      writer.writeBatch(Array.from({ length: 10 }, (_, i) => toLogRow(makeBar(i, 100))));
      const removed = writer.applyRetention();
      const count = writer.count;
      writer.close();

      expect(removed).to.equal(6);
      expect(count).to.equal(4);
      expect(verifyEventLog(file)).to.include({ ok: true, rows: 4 });
    });

    it('removes rows older than the age in event time', () => {
      const writer = new EventLogWriter({ file, busyTimeoutMs: 1000, retention: { maxAgeMs: 3 * 86_400_000 } });
      writer.writeBatch(Array.from({ length: 10 }, (_, i) => toLogRow(makeBar(i, 100))));
      writer.applyRetention();
      const count = writer.count;
      writer.close();

      expect(count).to.equal(4);
      expect(verifyEventLog(file).ok).to.equal(true);
    });

    it('continues the chain after retention', () => {
      const writer = new EventLogWriter({ file, busyTimeoutMs: 1000, retention: { maxRows: 2 } });
      writer.writeBatch(Array.from({ length: 5 }, (_, i) => toLogRow(makeBar(i, 100))));
      writer.applyRetention();
      writer.close();

      const reopened = new EventLogWriter({ file, busyTimeoutMs: 1000 });
      reopened.writeBatch([toLogRow(makeBar(5, 100))]);
      const head = reopened.headHash;
      reopened.close();

      expect(verifyEventLog(file, { head })).to.include({ ok: true, rows: 3 });
    });

    it('does nothing without settings', () => {
      const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
      writer.writeBatch([toLogRow(makeBar(0, 100))]);
      const removed = writer.applyRetention();
      writer.close();

      expect(removed).to.equal(0);
    });
  });
});
