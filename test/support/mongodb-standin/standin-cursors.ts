import { BSON, Long } from 'bson';
import { StandInCommandError } from './standin-errors';
import { bsonTypeOf, type BsonDocument } from './standin-values';

/** A server's first batch holds 101 documents unless asked otherwise; later ones are unbounded. */
const DEFAULT_FIRST_BATCH = 101;
/** Room for the reply around a batch within the 16 MiB a BSON document may take. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;

interface OpenCursor {
  readonly namespace: string;
  readonly documents: readonly BsonDocument[];
  position: number;
}

export interface BatchOptions {
  /** 0 is allowed for the first batch (the cursor opens, nothing is returned yet). */
  readonly batchSize?: number;
  readonly singleBatch?: boolean;
}

/**
 * Open cursors of one server. A query's results are computed whole when it runs (a snapshot)
 * and handed out in batches; a cursor closes (id 0) with its last batch.
 */
export class CursorRegistry {
  private readonly open = new Map<bigint, OpenCursor>();
  private nextId = 7_000_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));

  first(
    namespace: string,
    documents: readonly BsonDocument[],
    options: BatchOptions,
  ): BsonDocument {
    const cursor: OpenCursor = { namespace, documents, position: 0 };
    const batch = takeBatch(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0n;
    if (!options.singleBatch && cursor.position < documents.length) {
      id = this.nextId++;
      this.open.set(id, cursor);
    }
    return { id: Long.fromBigInt(id), ns: namespace, firstBatch: batch };
  }

  more(cursorId: unknown, batchSize: number | undefined): BsonDocument {
    const id = toBigInt(cursorId);
    const cursor = this.open.get(id);
    if (!cursor) throw new StandInCommandError('CursorNotFound', `cursor id ${id} not found`);
    const batch = takeBatch(cursor, batchSize && batchSize > 0 ? batchSize : Infinity);
    const exhausted = cursor.position >= cursor.documents.length;
    if (exhausted) this.open.delete(id);
    return { id: Long.fromBigInt(exhausted ? 0n : id), ns: cursor.namespace, nextBatch: batch };
  }

  kill(cursorIds: readonly unknown[]): BsonDocument {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const cursorId of cursorIds) {
      const id = toBigInt(cursorId);
      (this.open.delete(id) ? killed : notFound).push(Long.fromBigInt(id));
    }
    return {
      cursorsKilled: killed,
      cursorsNotFound: notFound,
      cursorsAlive: [],
      cursorsUnknown: [],
    };
  }

  get openCount(): number {
    return this.open.size;
  }
}

function takeBatch(cursor: OpenCursor, batchSize: number): BsonDocument[] {
  const batch: BsonDocument[] = [];
  let bytes = 0;
  while (batch.length < batchSize && cursor.position < cursor.documents.length) {
    const document = cursor.documents[cursor.position];
    bytes += BSON.calculateObjectSize(document);
    if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
    batch.push(document);
    cursor.position++;
  }
  return batch;
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (bsonTypeOf(value) === 'Long') return (value as Long).toBigInt();
  if (bsonTypeOf(value) === 'Int32' || bsonTypeOf(value) === 'Double') {
    return BigInt((value as { value: number }).value);
  }
  throw new StandInCommandError('TypeMismatch', 'A cursor id must be a 64-bit integer');
}
