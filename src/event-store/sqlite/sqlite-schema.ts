import Database from 'better-sqlite3';

/**
 * One table holds every event. `position` is the global order: AUTOINCREMENT never reuses a
 * value, and because SQLite serialises writers, positions become visible in increasing order
 * (a reader never sees position n + 1 before n), which is what makes catch-up by position safe.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream   TEXT    NOT NULL,
    revision INTEGER NOT NULL,
    id       TEXT    NOT NULL UNIQUE,
    type     TEXT    NOT NULL,
    data     TEXT    NOT NULL,
    metadata TEXT    NOT NULL,
    UNIQUE (stream, revision)
  );
  CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
`;

/** Waits this long for another connection's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating if needed) an event database tuned for durable, multi-connection use. */
export function openEventDatabase(filename: string): Database.Database {
  const db = new Database(filename, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets readers (subscriptions, other instances) run alongside the single writer.
    db.pragma('journal_mode = WAL');
    // FULL: an acknowledged append survives power loss, not only a process crash.
    db.pragma('synchronous = FULL');
    // Positions and revisions are bigint in the port; never round-trip them through doubles.
    db.defaultSafeIntegers(true);
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
