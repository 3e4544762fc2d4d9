import type {
  EventMetadata,
  GlobalPosition,
  JsonObject,
  RecordedEvent,
  StreamRevision,
} from '../event-store.port';
import { OCCURRED_AT } from '../occurred-at';

/**
 * A stored row as the raw statements return it, in the order of the statements' `COLUMNS`: an array, because building
 * an object per row with named properties cost as much as reading the row.
 */
export type EventRow = [
  position: bigint,
  stream: string,
  revision: bigint,
  id: string,
  type: string,
  data: string,
  metadata: string,
  /** Null in rows written before the column existed. */
  occurredAt: string | null,
];

/** The `metadata` accessor of every stored event: one getter for all, so defining it is cheap. */
const METADATA: PropertyDescriptor = {
  get(this: StoredEvent): EventMetadata {
    return StoredEvent.metadataOf(this);
  },
  enumerable: true,
  configurable: false,
};

/**
 * An event read from the events table, whose `metadata` is parsed on first read: a rebuild reads
 * millions of events whose projections need only `occurredAt` (kept in a column of its own), and
 * parsing the metadata took a fifth of reading an event. In every other way it is the plain
 * object it was: `metadata` is an own, enumerable property (an accessor without a setter), in
 * the same place, so spreading, `Object.keys`, `JSON.stringify` and `toEqual` see the same
 * fields with the same values, and each read gives the same object.
 */
export class StoredEvent implements RecordedEvent {
  // Declared, not initialised, so that the fields keep the order the constructor gives them.
  declare readonly id: string;
  declare readonly type: string;
  declare readonly data: JsonObject;
  declare readonly metadata: EventMetadata;
  declare readonly stream: string;
  declare readonly revision: StreamRevision;
  declare readonly position: GlobalPosition;
  readonly #metadataJson: string;
  #metadata: EventMetadata | undefined;
  /** From the `occurred_at` column; null in rows written before it existed. */
  readonly #occurredAt: string | null;

  constructor(row: EventRow) {
    this.id = row[3];
    this.type = row[4];
    this.data = JSON.parse(row[5]) as JsonObject;
    Object.defineProperty(this, 'metadata', METADATA);
    this.stream = row[1];
    this.revision = row[2];
    this.position = { commit: row[0], prepare: row[0] };
    this.#metadataJson = row[6];
    this.#metadata = undefined;
    this.#occurredAt = row[7];
  }

  static metadataOf(event: StoredEvent): EventMetadata {
    return (event.#metadata ??= JSON.parse(event.#metadataJson) as EventMetadata);
  }

  /** The column's copy until the metadata is parsed, then the metadata's own. */
  get [OCCURRED_AT](): string {
    return this.#metadata?.occurredAt ?? this.#occurredAt ?? this.metadata.occurredAt;
  }
}
