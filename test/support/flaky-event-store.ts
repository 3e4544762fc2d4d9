import type {
  AppendResult,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../../src/event-store/event-store.port';
import { DelegatingEventStore } from './delegating-event-store';

/** A real store that fails on demand, the way a store on the other end of a network does. */
export class FlakyEventStore extends DelegatingEventStore {
  /** The next this many appends fail and write nothing. */
  failAppends = 0;
  /** The next append is written, but the caller is told it failed (a lost acknowledgement). */
  loseNextAck = false;
  /** While set, every call fails: the store is unreachable. */
  down = false;

  override async append(
    stream: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.check();
    if (this.failAppends > 0) {
      this.failAppends--;
      throw new Error('store unavailable (append refused)');
    }
    const result = await super.append(stream, events, expectedRevision);
    if (this.loseNextAck) {
      this.loseNextAck = false;
      throw new Error('connection lost before the append was acknowledged');
    }
    return result;
  }

  override readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.check();
    return super.readStream(stream, options);
  }

  override readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.check();
    return super.readAll(options);
  }

  override ping(): Promise<void> {
    this.check();
    return super.ping();
  }

  private check(): void {
    if (this.down) throw new Error('store unreachable');
  }
}
