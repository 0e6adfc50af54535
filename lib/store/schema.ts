/**
 * Tables of the event log. `seq` is the row's place in the hash chain; `id` is the event's
 * deterministic id, unique so that a restarted source or a retried batch stores nothing twice.
 * The chain hash covers the stored body, so the indexed columns are checked against it too.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  time INTEGER NOT NULL,
  instrument TEXT NOT NULL,
  source TEXT NOT NULL,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_type_time ON events (type, time);
CREATE INDEX IF NOT EXISTS events_instrument_time ON events (instrument, time);
CREATE TABLE IF NOT EXISTS log_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** The `log_meta` key holding the hash of the last row that retention removed. */
export const RETENTION_ANCHOR_KEY = 'retention-anchor';

/** The `log_meta` key holding the sequence number of that row. */
export const RETENTION_ANCHOR_SEQ_KEY = 'retention-anchor-seq';

/** The previous hash of the first row of a log that never lost a row to retention. */
export const GENESIS_HASH = '';
