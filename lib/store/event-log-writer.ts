import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { LogRow } from './log-row.js';
import { hasRetention, type RetentionSettings } from './retention.js';
import { rowHash } from './row-hash.js';
import { GENESIS_HASH, RETENTION_ANCHOR_KEY, RETENTION_ANCHOR_SEQ_KEY, SCHEMA_SQL } from './schema.js';

export interface WriterOptions {
  readonly file: string;
  readonly busyTimeoutMs: number;
  readonly retention?: RetentionSettings;
}

/** Outcome of one committed batch: rows inserted, and the positions in the batch that were already stored. */
export interface BatchOutcome {
  readonly inserted: number;
  readonly duplicateIndexes: number[];
  readonly headHash: string;
  readonly count: number;
}

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
  private readonly insert: Database.Statement<[number, string, string, number, string, string, string, string, string]>;
  private readonly writeBatchTransaction: Database.Transaction<(rows: readonly LogRow[]) => BatchOutcome>;
  private headSeq = 0;
  private head = GENESIS_HASH;
  private rows = 0;

  constructor(private readonly options: WriterOptions) {
    mkdirSync(dirname(options.file), { recursive: true });

    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    this.db.exec(SCHEMA_SQL);

    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO events (seq, id, type, time, instrument, source, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.writeBatchTransaction = this.db.transaction((rows: readonly LogRow[]) => this.insertRows(rows));
    this.loadHead();
  }

  get headHash(): string {
    return this.head;
  }

  get count(): number {
    return this.rows;
  }

  /**
   * Appends rows in one immediate transaction and returns once it committed. Rows whose id is
   * already stored are skipped and leave the chain untouched. Throws SQLITE_BUSY when another
   * connection holds the lock for longer than the busy timeout; the batch is then rolled back
   * whole and may be retried.
   */
  writeBatch(rows: readonly LogRow[]): BatchOutcome {
    const headSeq = this.headSeq;
    const head = this.head;
    const count = this.rows;

    try {
      return this.writeBatchTransaction.immediate(rows);
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

  close(): void {
    if (this.db.open) {
      this.db.close();
    }
  }

  private insertRows(rows: readonly LogRow[]): BatchOutcome {
    const duplicateIndexes: number[] = [];
    let inserted = 0;

    for (let index = 0; index < rows.length; index++) {
      const row = rows[index];
      const seq = this.headSeq + 1;
      const hash = rowHash(this.head, seq, row.body);
      const result = this.insert.run(seq, row.id, row.type, row.time, row.instrument, row.source, row.body, this.head, hash);

      if (result.changes === 0) {
        duplicateIndexes.push(index);
        continue;
      }

      this.headSeq = seq;
      this.head = hash;
      this.rows++;
      inserted++;
    }

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
