import Database from 'better-sqlite3';
import { TickflowError } from '../errors.js';

/** SQLite result codes that mean the file exists but is not a sound database. */
const DAMAGED_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/**
 * Opens the event log file for writing and runs `PRAGMA quick_check` before anything is
 * appended, because rows appended to a damaged file extend a log that verification rejects.
 * Throws `event-log-malformed` for a damaged file and `event-log-open-failed` for a file that
 * cannot be opened at all (a directory, no permission), each naming the file and what to do.
 */
export function openChecked(file: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;

  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    // Inserts into the id index touch pages all over it, so a larger page cache (32 MiB) saves reads.
    db.pragma('cache_size = -32768');
    checkIntegrity(db, file);
    return db;
  } catch (error) {
    db?.close();
    throw explainOpenError(error, file);
  }
}

/**
 * quick_check reads every page but skips the index-to-table cross-checks of integrity_check.
 * It returns one row `ok`, or up to 100 rows naming problems; a badly damaged file makes it
 * throw SQLITE_CORRUPT instead, which `explainOpenError` reports the same way.
 */
function checkIntegrity(db: Database.Database, file: string): void {
  const problems = db.pragma('quick_check') as { quick_check: string }[];

  if (problems.length === 1 && problems[0].quick_check === 'ok') {
    return;
  }

  // The first row starts with a `*** in database main ***` header line.
  const first = (problems[0]?.quick_check ?? 'no result').replace(/^\*\*\* in database \w+ \*\*\*\n/, '');

  throw malformed(file, `${problems.length} problems, the first: ${first}`, 'SQLITE_CORRUPT');
}

function explainOpenError(error: unknown, file: string): Error {
  if (error instanceof TickflowError) {
    return error;
  }

  const code = (error as { code?: unknown }).code;
  const sqliteCode = typeof code === 'string' ? code : undefined;
  const cause = error instanceof Error ? error.message : String(error);

  if (sqliteCode !== undefined && DAMAGED_CODES.has(sqliteCode)) {
    return malformed(file, cause, sqliteCode, error);
  }

  return new TickflowError(
    'event-log-open-failed',
    `cannot open event log ${file}: ${cause}${sqliteCode === undefined ? '' : ` (${sqliteCode})`}: point eventLog.path or TICKFLOW_EVENT_LOG at a writable SQLite file or a new path`,
    { file, ...(sqliteCode === undefined ? {} : { sqliteCode }) },
    { cause: error },
  );
}

function malformed(file: string, cause: string, sqliteCode: string, error?: unknown): TickflowError {
  return new TickflowError(
    'event-log-malformed',
    `event log ${file} is not a sound SQLite database (${cause}): run \`tickflow log verify ${file}\` to see what it still holds, then move the file aside so a new log starts`,
    { file, sqliteCode },
    error === undefined ? undefined : { cause: error },
  );
}
