import { randomUUID } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../../src/event-store/event-store.port';
import type { ReadModelSync } from '../../src/event-store/write-path/read-model-sync.port';
import { makeNewEvent } from '../support/event-factory';

/** Streams the fixture's read models follow start with this; any other stream, none does. */
export const FOLLOWED_PREFIX = 'note-';

export interface ReadModelSyncFixture {
  readonly sync: ReadModelSync;
  /** The store the read models are fed from; the suite appends to it as a command would. */
  readonly store: EventStore;
  /** Starts the read models, as the app does before it serves. */
  start(): Promise<void>;
  /** Whether every read model the sync waits for shows `event`. */
  shows(event: RecordedEvent): Promise<boolean>;
  /** From now on the read models cannot apply new events, the way `kind` says. */
  stall(kind: string): Promise<void>;
  /** Lets stalled read models go, stops them and removes what the fixture created. */
  cleanup(): Promise<void>;
}

export interface ReadModelSyncAdapter {
  readonly name: string;
  /** Every way this adapter's read models can stop applying writes (see `stall`). */
  readonly stalls: readonly string[];
  /** Read models whose sync waits at most `writeWaitMs` for a write. */
  open(writeWaitMs: number): Promise<ReadModelSyncFixture>;
}

const WAIT_MS = 200;
/** Far below the 10 s default: a wait that ignored its configured time-out fails the suite. */
const SLACK_MS = 2_500;

/** The behaviour every `ReadModelSync` must have (see the port's JSDoc). */
export function readModelSyncContract(adapter: ReadModelSyncAdapter): void {
  describe(`ReadModelSync contract: ${adapter.name}`, () => {
    let fixture: ReadModelSyncFixture;

    beforeEach(async () => {
      fixture = await adapter.open(WAIT_MS);
    });
    afterEach(() => fixture.cleanup());

    const append = async (stream: string): Promise<RecordedEvent> => {
      const { position } = await fixture.store.append(stream, [makeNewEvent()], 'any');
      const events = await fixture.store.readStream(stream);
      const event = events.at(-1);
      if (!event || event.position.commit !== position.commit) throw new Error('append not read');
      return event;
    };
    const followed = () => `${FOLLOWED_PREFIX}${randomUUID()}`;

    it('is not caught up before start, and becomes caught up after it', async () => {
      await append(followed());
      expect(fixture.sync.isCaughtUp()).toBe(false);
      await fixture.start();
      await eventually(() => fixture.sync.isCaughtUp());
    });

    it('resolves true for a write the read models applied, which then shows', async () => {
      await fixture.start();
      const event = await append(followed());
      await expect(fixture.sync.waitForWrite(event.stream, event.position)).resolves.toBe(true);
      expect(await fixture.shows(event)).toBe(true);
    });

    it('resolves true at once for a write no read model follows', async () => {
      await fixture.start();
      const event = await append(`other-${randomUUID()}`);
      const started = Date.now();
      await expect(fixture.sync.waitForWrite(event.stream, event.position)).resolves.toBe(true);
      expect(Date.now() - started).toBeLessThan(WAIT_MS);
    });

    describe.each(adapter.stalls)('when %s', (kind) => {
      it(`resolves false within its ${WAIT_MS} ms time-out instead of hanging`, async () => {
        await fixture.start();
        await fixture.stall(kind);
        const event = await append(followed());
        const started = Date.now();
        await expect(fixture.sync.waitForWrite(event.stream, event.position)).resolves.toBe(false);
        const waited = Date.now() - started;
        expect(waited).toBeGreaterThanOrEqual(WAIT_MS - 20);
        expect(waited).toBeLessThan(WAIT_MS + SLACK_MS);
        expect(await fixture.shows(event)).toBe(false);
      });
    });
  });
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
