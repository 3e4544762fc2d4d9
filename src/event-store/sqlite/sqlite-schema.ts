import Database from 'better-sqlite3';

/**
 * One table holds every event. `position` is the global order: AUTOINCREMENT never reuses a
 * value, and because SQLite serialises writers, positions become visible in increasing order
 * (a reader never sees position n + 1 before n), which is what makes catch-up by position safe.
 * `occurred_at` repeats the metadata's `occurredAt`, so that projections can have it without
 * parsing the metadata.
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
    occurred_at TEXT,
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
    addOccurredAtColumn(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const HAS_OCCURRED_AT = `SELECT 1 FROM pragma_table_info('events') WHERE name = 'occurred_at'`;

/**
 * Gives a file made before `occurred_at` existed the column (added last, null in its old rows,
 * which then read `occurredAt` from their metadata). Checked again under the write lock: another
 * process may be opening the same file.
 */
function addOccurredAtColumn(db: Database.Database): void {
  const hasColumn = () => db.prepare(HAS_OCCURRED_AT).get() !== undefined;
  if (hasColumn()) return;
  db.transaction(() => {
    if (!hasColumn()) db.exec('ALTER TABLE events ADD COLUMN occurred_at TEXT');
  }).immediate();
}
