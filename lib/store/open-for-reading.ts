import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { TickflowError } from '../errors.js';

/**
 * Opens an event log file read-only for `log verify` and `replay`. A wrong file (a directory, an
 * empty file, another kind of file, another database) raises `event-log-missing` or
 * `event-log-invalid` naming the file, in place of SQLite's own error.
 */
export function openForReading(file: string): Database.Database {
  checkFile(file);

  let db: Database.Database | undefined;

  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    checkTables(db, file);
    return db;
  } catch (error) {
    db?.close();
    throw explain(error, file);
  }
}

function checkFile(file: string): void {
  const stats = statSync(file, { throwIfNoEntry: false });

  if (stats === undefined) {
    throw new TickflowError('event-log-missing', `event log ${file} does not exist`, { file });
  }

  if (stats.isDirectory()) {
    throw invalid(file, 'is a directory, not an event log file');
  }

  if (stats.size === 0) {
    throw invalid(file, 'is empty, so it is not an event log');
  }
}

function checkTables(db: Database.Database, file: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'log_meta')").pluck().all() as string[];

  if (tables.length < 2) {
    throw invalid(file, 'is an SQLite database but not an event log (it has no events and log_meta tables)');
  }
}

function explain(error: unknown, file: string): Error {
  if (error instanceof TickflowError) {
    return error;
  }

  const code = (error as { code?: unknown }).code;

  if (code === 'SQLITE_NOTADB') {
    return invalid(file, 'is not an SQLite database, so it is not an event log', error);
  }

  const cause = error instanceof Error ? error.message : String(error);
  return invalid(file, `cannot be read as an event log (${cause})`, error);
}

function invalid(file: string, what: string, cause?: unknown): TickflowError {
  return new TickflowError('event-log-invalid', `${file} ${what}: pass the event log file a run wrote, such as data/events.sqlite`, { file }, cause === undefined ? undefined : { cause });
}
