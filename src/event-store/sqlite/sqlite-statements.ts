import type Database from 'better-sqlite3';
import type { EventFilter, EventMetadata, JsonObject, RecordedEvent } from '../event-store.port';

interface EventRow {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export interface NewEventRow {
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** Only the named parameters the chosen statement declares may be bound. */
interface ReadAllParams {
  readonly after: bigint;
  readonly limit: bigint;
  readonly prefixes?: string;
  readonly types?: string;
}

const COLUMNS = 'position, stream, revision, id, type, data, metadata';

/** Filter lists are bound as JSON arrays so one prepared statement serves any filter. */
function readAllSql(byPrefix: boolean, byType: boolean): string {
  const where = ['position > :after'];
  if (byPrefix) {
    // substr rather than LIKE/GLOB: exact, case-sensitive `startsWith`, no wildcard escaping.
    where.push(
      'EXISTS (SELECT 1 FROM json_each(:prefixes) p WHERE substr(stream, 1, length(p.value)) = p.value)',
    );
  }
  if (byType) where.push('type IN (SELECT value FROM json_each(:types))');
  return `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY position LIMIT :limit`;
}

/** Every statement the adapter runs, prepared once per connection. */
export class EventStatements {
  private readonly insert: Database.Statement<[NewEventRow]>;
  private readonly lastRevision: Database.Statement<[string], bigint | null>;
  private readonly forwards: Database.Statement<[string, bigint, bigint], EventRow>;
  private readonly backwards: Database.Statement<[string, bigint, bigint], EventRow>;
  private readonly readAllVariants: Database.Statement<[ReadAllParams], EventRow>[];
  private readonly headPosition: Database.Statement<[], bigint>;
  private readonly dataVersionQuery: Database.Statement<[], bigint>;
  private readonly trivialQuery: Database.Statement<[], bigint>;

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
    this.readAllVariants = [false, true].flatMap((byPrefix) =>
      [false, true].map((byType) => db.prepare(readAllSql(byPrefix, byType))),
    );
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
    const prefixes = filter?.streamPrefixes?.length ? JSON.stringify(filter.streamPrefixes) : '';
    const types = filter?.eventTypes?.length ? JSON.stringify(filter.eventTypes) : '';
    const statement = this.readAllVariants[(prefixes ? 2 : 0) + (types ? 1 : 0)];
    const params: ReadAllParams = {
      after,
      limit,
      ...(prefixes && { prefixes }),
      ...(types && { types }),
    };
    return statement.all(params).map(toRecorded);
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
