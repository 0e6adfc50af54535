import type Database from 'better-sqlite3';
import { openForReading } from './open-for-reading.js';
import { rowHash } from './row-hash.js';
import { GENESIS_HASH, RETENTION_ANCHOR_KEY, RETENTION_ANCHOR_SEQ_KEY } from './schema.js';

/** What is wrong with a log: the first row that fails, and how. */
export interface ChainProblem {
  /** Sequence number of the first row that was changed or removed. */
  readonly seq: number;
  readonly kind: 'changed' | 'removed' | 'truncated';
  readonly message: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly rows: number;
  readonly headHash: string;
  readonly problem?: ChainProblem;
}

interface ChainRow {
  seq: number;
  id: string;
  type: string;
  time: number;
  instrument: string;
  source: string;
  body: string;
  prev_hash: string;
  hash: string;
}

interface ChainState {
  seq: number;
  prev: string;
}

/**
 * Walks the hash chain of a log file from its oldest row and returns the first row whose
 * content was changed or that was removed. Rows cut from the end leave a valid chain, so
 * `head` (the head hash from a run report) is needed to detect those.
 */
export function verifyEventLog(file: string, options: { readonly head?: string } = {}): VerifyResult {
  const db = openForReading(file);

  try {
    return verifyOpen(db, options.head);
  } finally {
    db.close();
  }
}

function verifyOpen(db: Database.Database, head: string | undefined): VerifyResult {
  const state = startState(db);
  const hashes = new Set<string>();
  let rows = 0;

  for (const row of db.prepare('SELECT * FROM events ORDER BY seq').iterate() as IterableIterator<ChainRow>) {
    const problem = checkRow(row, state);

    if (problem !== undefined) {
      return { ok: false, rows, headHash: state.prev, problem };
    }

    state.prev = row.hash;
    state.seq = row.seq + 1;
    rows++;

    if (head !== undefined) {
      hashes.add(row.hash);
    }
  }

  if (head !== undefined && head !== state.prev && !hashes.has(head)) {
    const message = `head hash ${head} is not in the chain: rows after seq ${state.seq - 1} were cut off, or the hash belongs to another log`;
    return { ok: false, rows, headHash: state.prev, problem: { seq: state.seq, kind: 'truncated', message } };
  }

  return { ok: true, rows, headHash: state.prev };
}

function startState(db: Database.Database): ChainState {
  const meta = db.prepare('SELECT value FROM log_meta WHERE key = ?').pluck();
  const anchor = meta.get(RETENTION_ANCHOR_KEY) as string | undefined;
  const anchorSeq = meta.get(RETENTION_ANCHOR_SEQ_KEY) as string | undefined;

  return { seq: Number(anchorSeq ?? 0) + 1, prev: anchor ?? GENESIS_HASH };
}

function checkRow(row: ChainRow, state: ChainState): ChainProblem | undefined {
  if (row.seq !== state.seq) {
    const last = row.seq - 1;
    const range = last === state.seq ? `row ${state.seq} was` : `rows ${state.seq} to ${last} were`;
    return { seq: state.seq, kind: 'removed', message: `${range} removed: the chain jumps to row ${row.seq}` };
  }

  if (row.prev_hash !== state.prev) {
    const message = `row ${row.seq} does not follow the stored hash of row ${row.seq - 1}: row ${row.seq - 1} was changed or replaced`;
    return { seq: row.seq - 1, kind: 'changed', message };
  }

  if (rowHash(state.prev, row.seq, row.body) !== row.hash) {
    return { seq: row.seq, kind: 'changed', message: `row ${row.seq} (event ${row.id}) was changed: its content no longer matches its hash` };
  }

  const column = mismatchedColumn(row);

  if (column !== undefined) {
    return { seq: row.seq, kind: 'changed', message: `row ${row.seq} (event ${row.id}) was changed: column ${column} does not match the stored event` };
  }

  return undefined;
}

function mismatchedColumn(row: ChainRow): string | undefined {
  let event: Record<string, unknown>;

  try {
    event = JSON.parse(row.body) as Record<string, unknown>;
  } catch {
    return 'body';
  }

  const columns = ['id', 'type', 'time', 'instrument', 'source'] as const;
  return columns.find((column) => event[column] !== row[column]);
}
