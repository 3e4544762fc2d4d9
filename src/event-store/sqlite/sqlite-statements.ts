import type Database from 'better-sqlite3';
import type { EventFilter, EventMetadata, JsonObject, RecordedEvent } from '../event-store.port';

export interface NewEventRow {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** A stored row: what was inserted, plus the global position SQLite gave it. */
interface EventRow extends NewEventRow {
  readonly position: bigint;
}

const COLUMNS = 'position, stream, revision, id, type, data, metadata';

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
      `INSERT INTO events (stream, revision, id, type, data, metadata)
       VALUES (:stream, :revision, :id, :type, :data, :metadata)`,
    );
    this.lastRevision = db
      .prepare<[string], bigint | null>('SELECT max(revision) FROM events WHERE stream = ?')
      .pluck();
    this.forwards = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    );
    this.backwards = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    );
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

  readAll(after: bigint, filter: EventFilter | undefined, limit: bigint): RecordedEvent[] {
    const prefixes = filter?.streamPrefixes ?? [];
    const types = filter?.eventTypes ?? [];
    const lengths = prefixes.map((p) => p.length);
    const shape = `${lengths.join(',')}|${types.length}`;
    let statement = this.readAllByShape.get(shape);
    if (!statement) {
      statement = this.db.prepare<unknown[], EventRow>(readAllSql(lengths, types.length));
      this.readAllByShape.set(shape, statement);
    }
    return statement.all(after, ...prefixes, ...types, limit).map(toRecorded);
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

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    stream: row.stream,
    revision: row.revision,
    position: { commit: row.position, prepare: row.position },
  };
}
