import type { Collection, Db } from 'mongodb';
import type { GlobalPosition } from '../../event-store/event-store.port';
import { parsePositionKey, positionKey } from './mongo-position';

interface CheckpointDocument {
  _id: string;
  /** `positionKey` of the last event every MongoDB projection has applied. */
  position: string;
}

export const CHECKPOINT_COLLECTION = 'projection_checkpoints';

/**
 * Where the MongoDB read models stand in the event store. Only ever moves forward (`$max`), so
 * a writer that lost its lease and writes late cannot set it back.
 */
export class ProjectionCheckpoints {
  private readonly checkpoints: Collection<CheckpointDocument>;

  constructor(
    db: Db,
    private readonly name: string,
  ) {
    this.checkpoints = db.collection<CheckpointDocument>(CHECKPOINT_COLLECTION);
  }

  async read(): Promise<GlobalPosition | undefined> {
    const stored = await this.checkpoints.findOne({ _id: this.name });
    return stored ? parsePositionKey(stored.position) : undefined;
  }

  async advance(position: GlobalPosition): Promise<void> {
    await this.checkpoints.updateOne(
      { _id: this.name },
      { $max: { position: positionKey(position) } },
      { upsert: true },
    );
  }
}
