import type { Collection, Db } from 'mongodb';
import type { GlobalPosition } from '../../event-store/event-store.port';
import { parsePositionKey, positionKey } from './mongo-position';

interface PositionDocument {
  _id: string;
  /** `positionKey` of the last event every MongoDB projection has applied. */
  position: string;
}

export const POSITIONS_COLLECTION = 'projection_checkpoints'; // the stored name predates the word "position"; kept so existing deployments resume

/**
 * Where the MongoDB read models stand in the event store. Only ever moves forward (`$max`), so
 * a writer that lost its lease and writes late cannot set it back.
 */
export class ProjectionPositions {
  private readonly positions: Collection<PositionDocument>;

  constructor(
    db: Db,
    private readonly name: string,
  ) {
    this.positions = db.collection<PositionDocument>(POSITIONS_COLLECTION);
  }

  async read(): Promise<GlobalPosition | undefined> {
    const stored = await this.positions.findOne({ _id: this.name });
    return stored ? parsePositionKey(stored.position) : undefined;
  }

  async advance(position: GlobalPosition): Promise<void> {
    await this.positions.updateOne(
      { _id: this.name },
      { $max: { position: positionKey(position) } },
      { upsert: true },
    );
  }
}
