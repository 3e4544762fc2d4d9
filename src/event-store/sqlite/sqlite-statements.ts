import type Database from 'better-sqlite3';
import type { EventFilter, RecordedEvent } from '../event-store.port';
import { StoredEvent, type EventRow } from './stored-event';

export interface NewEventRow {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  /** The metadata's `occurredAt`, repeated in a column of its own. */
  readonly occurredAt: string | null;
}

/** The columns of an `EventRow`, in its order. */
const COLUMNS = 'position, stream, revision, id, type, data, metadata, occurred_at';

const NON_ASCII = /[\u0080-\uffff]/g;
const escapeChar = (char: string): string =>
  `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON as the events table stores it: `JSON.stringify` with every non-ASCII character escaped.
 * ASCII text reads back as a one-byte string, where a single `…` in a key hint would make the
 * whole column UTF-16: twice the bytes to decode and parse on every read (measured 8 % of a
 * rebuild). Both forms parse to the same value, so older rows read as before.
 */
export function storedJson(value: unknown): string {
  return JSON.stringify(value).replace(NON_ASCII, escapeChar);
}

/**
 * The global read for one shape of filter: each prefix tested with `substr` at its own length
 * (exact, case-sensitive `startsWith`, no wildcard escaping), event types with `IN`. Only the
 * lengths and counts are in the SQL; the prefixes and types themselves are bound, so a handful of
 * statements serve every filter. (Binding the lists as JSON and unpacking them per row with
 * `json_each` cost as much as reading the rows.)
 */
function readAllSql(prefixLengths: readonly number[], typeCount: number): string {
  const where = ['position > ?'];
  if (prefixLengths.length > 0) {
    where.push(`(${prefixLengths.map((n) => `substr(stream, 1, ${n}) = ?`).join(' OR ')})`);
  }
  if (typeCount > 0) where.push(`type IN (${Array(typeCount).fill('?').join(', ')})`);
  return `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT ?`;
}

/** Every statement the adapter runs, prepared once per connection. */
export class EventStatements {
  private readonly insert: Database.Statement<[NewEventRow]>;
  private readonly lastRevision: Database.Statement<[string], bigint | null>;
  private readonly forwards: Database.Statement<[string, bigint, bigint], EventRow>;
  private readonly backwards: Database.Statement<[string, bigint, bigint], EventRow>;
  private readonly readAllByShape = new Map<string, Database.Statement<unknown[], EventRow>>();
  private readonly headPosition: Database.Statement<[], bigint>;
  private readonly dataVersionQuery: Database.Statement<[], bigint>;
  private readonly trivialQuery: Database.Statement<[], bigint>;

  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO events (stream, revision, id, type, data, metadata, occurred_at)
       VALUES (:stream, :revision, :id, :type, :data, :metadata, :occurredAt)`,
    );
    this.lastRevision = db
      .prepare<[string], bigint | null>('SELECT max(revision) FROM events WHERE stream = ?')
      .pluck();
    this.forwards = db
      .prepare<[string, bigint, bigint], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      )
      .raw(true);
    this.backwards = db
      .prepare<[string, bigint, bigint], EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      )
      .raw(true);
    this.db = db;
    this.headPosition = db
      .prepare<[], bigint>('SELECT coalesce(max(position), 0) FROM events')
      .pluck();
    this.dataVersionQuery = db.prepare<[], bigint>('PRAGMA data_version').pluck();
    this.trivialQuery = db.prepare<[], bigint>('SELECT 1').pluck();
  }

  /** Returns the global position of the inserted event. */
  insertEvent(row: NewEventRow): bigint {
    return BigInt(this.insert.run(row).lastInsertRowid);
  }

  streamLastRevision(stream: string): bigint | undefined {
    return this.lastRevision.get(stream) ?? undefined;
  }

  readStream(stream: string, backwards: boolean, from: bigint, limit: bigint): RecordedEvent[] {
    return (backwards ? this.backwards : this.forwards).all(stream, from, limit).map(toRecorded);
  }

  /** One page of events after `after` in global order. */
  readAll(after: bigint, filter: EventFilter | undefined, limit: number | bigint): RecordedEvent[] {
    return this.readRows(after, filter, limit).map(toRecorded);
  }

  /**
   * `readAll` as stored rows, for a subscription to turn into events one at a time as it
   * delivers them: the parsed events of a whole page, alive at once, would outlive young-
   * generation collections and fill the old generation with garbage during a rebuild.
   */
  readRows(after: bigint, filter: EventFilter | undefined, limit: number | bigint): EventRow[] {
    const prefixes = filter?.streamPrefixes ?? [];
    const types = filter?.eventTypes ?? [];
    const lengths = prefixes.map((p) => p.length);
    const shape = `${lengths.join(',')}|${types.length}`;
    let statement = this.readAllByShape.get(shape);
    if (!statement) {
      statement = this.db.prepare<unknown[], EventRow>(readAllSql(lengths, types.length)).raw(true);
      this.readAllByShape.set(shape, statement);
    }
    return statement.all(after, ...prefixes, ...types, limit);
  }

  head(): bigint {
    return this.headPosition.get() ?? 0n;
  }

  /** Changes whenever another connection commits to the database. */
  dataVersion(): bigint {
    return this.dataVersionQuery.get() ?? 0n;
  }

  ping(): void {
    this.trivialQuery.get();
  }
}

/** The event a stored row holds, its metadata parsed on first read. */
export function toRecorded(row: EventRow): RecordedEvent {
  return new StoredEvent(row);
}
