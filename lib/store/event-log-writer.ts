import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ChunkedStatement, placeholders } from './chunked-statement.js';
import { batchOf, type LogBatch } from './log-batch.js';
import type { LogRow } from './log-row.js';
import { openChecked } from './open-checked.js';
import { hasRetention, type RetentionSettings } from './retention.js';
import { rowHash } from './row-hash.js';
import { acquireWriterLock, releaseWriterLock } from './writer-lock.js';
import { GENESIS_HASH, RETENTION_ANCHOR_KEY, RETENTION_ANCHOR_SEQ_KEY, SCHEMA_SQL } from './schema.js';

export interface WriterOptions {
  readonly file: string;
  readonly busyTimeoutMs: number;
  readonly retention?: RetentionSettings;
  /** Written into the lock file; a random one when left out. */
  readonly lockToken?: string;
}

/** Outcome of one committed batch: rows inserted, and the positions in the batch that were already stored. */
export interface BatchOutcome {
  readonly inserted: number;
  readonly duplicateIndexes: number[];
  readonly headHash: string;
  readonly count: number;
}

const INSERT_COLUMNS = ['seq', 'id', 'type', 'time', 'instrument', 'source', 'body', 'prev_hash', 'hash'];

function insertSql(verb: string, rows: number): string {
  const row = placeholders(INSERT_COLUMNS.length);
  return `${verb} INTO events (${INSERT_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
}

/** Rows per statement of the insert that assumes new ids: the largest statement `ChunkedStatement` prepares. */
const OPTIMISTIC_CHUNK_ROWS = 128;

/** Thrown inside the savepoint of a batch that held stored ids, to roll its rows back. */
class StoredRowsFound extends Error {}

interface HeadRow {
  seq: number;
  hash: string;
}

/**
 * The synchronous half of the event log: one better-sqlite3 connection that appends rows to
 * the hash chain in transactions. It runs inside the writer worker, because better-sqlite3
 * blocks its thread while it waits for a lock; benchmarks also use it directly.
 */
export class EventLogWriter {
  private readonly db: Database.Database;
  private readonly lockToken: string;
  private readonly insert: ChunkedStatement;
  private readonly insertOrIgnore: ChunkedStatement;
  private readonly findStored: ChunkedStatement;
  private readonly insertAllNew: Database.Transaction<(batch: LogBatch) => number[]>;
  private readonly writeBatchTransaction: Database.Transaction<(batch: LogBatch) => BatchOutcome>;
  private headSeq = 0;
  private head = GENESIS_HASH;
  private rows = 0;

  constructor(private readonly options: WriterOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.lockToken = options.lockToken ?? randomUUID();
    this.db = this.openLocked();

    try {
      this.loadHead();
    } catch (error) {
      this.close();
      throw error;
    }

    // Plain INSERT: duplicates are dropped before the insert, inside the same transaction,
    // so a UNIQUE violation here means a bug and fails the batch instead of forking the chain.
    this.insert = new ChunkedStatement(this.db, INSERT_COLUMNS.length, (rows) => insertSql('INSERT', rows));
    // Skipped rows only send the batch down the plain INSERT path, so nothing it ignores is lost.
    this.insertOrIgnore = new ChunkedStatement(this.db, INSERT_COLUMNS.length, (rows) => insertSql('INSERT OR IGNORE', rows));
    this.findStored = new ChunkedStatement(this.db, 1, (rows) => `SELECT id FROM events WHERE id IN ${placeholders(rows)}`);
    this.writeBatchTransaction = this.db.transaction((batch: LogBatch) => this.insertBatch(batch));
    // Called inside the batch's transaction, this runs as a savepoint that a throw rolls back.
    this.insertAllNew = this.db.transaction((batch: LogBatch) => this.insertAllNewRows(batch));
  }

  get headHash(): string {
    return this.head;
  }

  get count(): number {
    return this.rows;
  }

  /** Appends rows in one immediate transaction; see `writeColumns`. */
  writeBatch(rows: readonly LogRow[]): BatchOutcome {
    return this.writeColumns(batchOf(rows));
  }

  /**
   * Appends a batch in one immediate transaction and returns once it committed. Rows whose id
   * is already stored, or repeats an earlier row of the batch, are skipped and leave the chain
   * untouched. Throws SQLITE_BUSY when another connection holds the lock for longer than the
   * busy timeout; the batch is then rolled back whole and may be retried.
   */
  writeColumns(batch: LogBatch): BatchOutcome {
    const headSeq = this.headSeq;
    const head = this.head;
    const count = this.rows;

    try {
      return this.writeBatchTransaction.immediate(batch);
    } catch (error) {
      this.headSeq = headSeq;
      this.head = head;
      this.rows = count;
      throw error;
    }
  }

  /** Removes the oldest rows beyond the retention settings; returns how many it removed. */
  applyRetention(retention: RetentionSettings | undefined = this.options.retention): number {
    if (!hasRetention(retention) || retention === undefined) {
      return 0;
    }

    const cutSeq = this.retentionCut(retention);

    if (cutSeq === 0) {
      return 0;
    }

    const anchor = this.db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(cutSeq) as string | undefined;

    if (anchor === undefined) {
      return 0;
    }

    const removed = this.db.transaction(() => {
      const result = this.db.prepare('DELETE FROM events WHERE seq <= ?').run(cutSeq);
      const setMeta = this.db.prepare('INSERT OR REPLACE INTO log_meta (key, value) VALUES (?, ?)');
      setMeta.run(RETENTION_ANCHOR_KEY, anchor);
      setMeta.run(RETENTION_ANCHOR_SEQ_KEY, String(cutSeq));
      return result.changes;
    }).immediate();

    this.rows -= removed;
    return removed;
  }

  /**
   * Copies the write-ahead log into the database file, closes the connection and releases the
   * lock file. SQLite checkpoints on its own only when the last connection closes, and the
   * engine's read-only query connection usually closes after this one and cannot checkpoint,
   * so without this the `.sqlite` file alone would miss the newest rows.
   */
  close(): void {
    if (this.db.open) {
      this.checkpoint();
      this.db.close();
    }

    releaseWriterLock(this.options.file, this.lockToken);
  }

  private checkpoint(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A reader holding a snapshot can make the checkpoint busy; the WAL file then keeps the rows and SQLite replays it on the next open.
    }
  }

  /** Takes the lock file, then opens and checks the database; the lock is released again if that fails. */
  private openLocked(): Database.Database {
    acquireWriterLock(this.options.file, this.lockToken);

    try {
      const db = openChecked(this.options.file, this.options.busyTimeoutMs);
      db.exec(SCHEMA_SQL);
      return db;
    } catch (error) {
      releaseWriterLock(this.options.file, this.lockToken);
      throw error;
    }
  }

  /**
   * Most batches hold only new ids, so the rows are first inserted without looking their ids
   * up, inside a savepoint. Only when that stores fewer rows than sent does the batch go again,
   * with the stored ids looked up first, so the chain links only the rows that go in.
   */
  private insertBatch(batch: LogBatch): BatchOutcome {
    const headSeq = this.headSeq;
    const head = this.head;

    try {
      return this.countInserted(batch, this.insertAllNew(batch));
    } catch (error) {
      if (!(error instanceof StoredRowsFound)) {
        throw error;
      }
    }

    this.headSeq = headSeq;
    this.head = head;

    const chained = this.chainRows(batch, new Set(this.findStored.pluck(batch.ids) as string[]), 0, batch.ids.length);
    this.insert.run(chained.values);
    return this.countInserted(batch, chained.duplicateIndexes);
  }

  /**
   * Inserts the batch as if no id were stored, and throws StoredRowsFound when some were, which
   * undoes its rows. It hashes and inserts 128 rows at a time, so a batch of stored ids (a source
   * that restarted from its beginning) is found after one chunk instead of a whole batch.
   */
  private insertAllNewRows(batch: LogBatch): number[] {
    const batchIds = new Set<string>();
    const duplicateIndexes: number[] = [];

    for (let start = 0; start < batch.ids.length; start += OPTIMISTIC_CHUNK_ROWS) {
      const chained = this.chainRows(batch, batchIds, start, Math.min(start + OPTIMISTIC_CHUNK_ROWS, batch.ids.length));
      const changes = this.insertOrIgnore.run(chained.values);

      if (changes < chained.values.length / INSERT_COLUMNS.length) {
        throw new StoredRowsFound();
      }

      duplicateIndexes.push(...chained.duplicateIndexes);
    }

    return duplicateIndexes;
  }

  /**
   * Builds the insert values of the rows from `start` to `end` whose id is not in `stored`,
   * advancing the head. Each id taken joins `stored`, so a repeat later in the batch is skipped.
   */
  private chainRows(batch: LogBatch, stored: Set<string>, start: number, end: number): { values: (string | number)[]; duplicateIndexes: number[] } {
    const duplicateIndexes: number[] = [];
    const values: (string | number)[] = [];

    for (let index = start; index < end; index++) {
      const id = batch.ids[index];

      if (stored.has(id)) {
        duplicateIndexes.push(index);
        continue;
      }

      stored.add(id);

      const seq = this.headSeq + 1;
      const body = batch.bodies[index];
      const hash = rowHash(this.head, seq, body);

      values.push(seq, id, batch.types[index], batch.times[index], batch.instruments[index], batch.sources[index], body, this.head, hash);
      this.headSeq = seq;
      this.head = hash;
    }

    return { values, duplicateIndexes };
  }

  private countInserted(batch: LogBatch, duplicateIndexes: number[]): BatchOutcome {
    const inserted = batch.ids.length - duplicateIndexes.length;
    this.rows += inserted;

    return { inserted, duplicateIndexes, headHash: this.head, count: this.rows };
  }

  private retentionCut(retention: RetentionSettings): number {
    let cutSeq = 0;

    if (retention.maxRows !== undefined && this.rows > retention.maxRows) {
      const seq = this.db.prepare('SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?').pluck().get(retention.maxRows) as number | undefined;
      cutSeq = Math.max(cutSeq, seq ?? 0);
    }

    if (retention.maxAgeMs !== undefined) {
      const newest = this.db.prepare('SELECT MAX(time) FROM events').pluck().get() as number | null;
      const seq = newest === null ? null : (this.db.prepare('SELECT MAX(seq) FROM events WHERE time < ?').pluck().get(newest - retention.maxAgeMs) as number | null);
      cutSeq = Math.max(cutSeq, seq ?? 0);
    }

    return cutSeq;
  }

  private loadHead(): void {
    const last = this.db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as HeadRow | undefined;
    const meta = this.db.prepare('SELECT value FROM log_meta WHERE key = ?').pluck();

    // A log that retention emptied continues the chain from the last row it removed.
    this.headSeq = last?.seq ?? Number(meta.get(RETENTION_ANCHOR_SEQ_KEY) ?? 0);
    this.head = last?.hash ?? ((meta.get(RETENTION_ANCHOR_KEY) as string | undefined) ?? GENESIS_HASH);
    this.rows = this.db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
  }
}
