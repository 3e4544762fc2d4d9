import { GENESIS_HASH, chainEvents } from '../../event-store/hash-chain';
import type {
  AppendResult,
  EventStore,
  JsonObject,
  StreamRevision,
} from '../../event-store/event-store.port';
import { SCHEMA_VERSION } from '../../event-store/write-path/event-streams';
import type { IdGenerator } from '../../shared/ids';
import { encodeUsage } from '../domain/usage-encoding';
import type { UsageCount, UsageRecorded } from '../domain/usage-recorded';
import { usageStream } from '../domain/usage-recorded';

interface StreamHead {
  readonly stream: string;
  readonly revision: StreamRevision | undefined;
  readonly hash: string;
}

/** An append whose outcome is unknown: the store failed while (or after) writing it. */
export interface UnconfirmedAppend {
  readonly stream: string;
  readonly eventId: string;
}

/**
 * Writes UsageRecorded events for one instance. Each instance is the only writer of its
 * streams, so the writer tracks the revision and hash of its stream's last event itself (read
 * once per stream, at the first write) and appends with that revision: a mismatch means another
 * process uses the same instance id, and is refused by the store rather than forking the chain.
 */
export class UsageEventWriter {
  private head: StreamHead | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly ids: IdGenerator,
    readonly instanceId: string,
  ) {}

  /** Appends one event holding `counts`; rejects with `{ unconfirmed }` if the store failed. */
  async write(counts: readonly UsageCount[], now: Date): Promise<AppendResult> {
    const stream = usageStream(this.instanceId, now);
    const head = this.head?.stream === stream ? this.head : await this.readHead(stream);
    // Keys in canonical order, like the groups': the hash of a big flush takes the fast path.
    const event: UsageRecorded = {
      type: 'UsageRecorded',
      data: { groups: encodeUsage(counts), instanceId: this.instanceId },
    };
    const [sealed] = chainEvents(stream, head.revision, head.hash, [
      {
        id: this.ids.uuid(),
        type: event.type,
        data: event.data as unknown as JsonObject,
        metadata: {
          schemaVersion: SCHEMA_VERSION,
          occurredAt: now.toISOString(),
          actor: { type: 'system', id: `usage:${this.instanceId}` },
          requestId: this.ids.uuid(),
        },
      },
    ]);
    try {
      const result = await this.store.append(stream, [sealed], head.revision ?? 'no_stream');
      this.head = { stream, revision: result.nextExpectedRevision, hash: sealed.metadata.hash };
      return result;
    } catch (error) {
      // Read the head again next time: the store, not this cache, knows what was written.
      this.head = undefined;
      throw new UsageAppendFailed({ stream, eventId: sealed.id }, error);
    }
  }

  /** Whether an append that failed did reach the store after all (its event is the last one). */
  async wasWritten(append: UnconfirmedAppend): Promise<boolean> {
    const [last] = await this.store.readStream(append.stream, {
      direction: 'backwards',
      maxCount: 1,
    });
    return last?.id === append.eventId;
  }

  private async readHead(stream: string): Promise<StreamHead> {
    const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    this.head = last
      ? { stream, revision: last.revision, hash: last.metadata.hash }
      : { stream, revision: undefined, hash: GENESIS_HASH };
    return this.head;
  }
}

export class UsageAppendFailed extends Error {
  constructor(
    readonly unconfirmed: UnconfirmedAppend,
    override readonly cause: unknown,
  ) {
    super(`Appending usage to ${unconfirmed.stream} failed: ${String(cause)}`);
    this.name = 'UsageAppendFailed';
  }
}
