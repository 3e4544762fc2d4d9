import { CommandBus } from '@nestjs/cqrs';
import type { ReadStreamOptions, RecordedEvent } from '../../src/event-store/event-store.port';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { UpdateKeyCommand } from '../../src/keys/commands/update-key/update-key.command';
import { DelegatingEventStore } from '../support/delegating-event-store';
import { expectStatus, TestApp } from '../support/test-app';

/**
 * A store that lets a test slip a write in between a command's read of a stream and its append,
 * which is exactly the window optimistic concurrency guards.
 */
class RacingStore extends DelegatingEventStore {
  private race?: { stream: string; write: () => Promise<void> };

  raceOnNextRead(stream: string, write: () => Promise<void>): void {
    this.race = { stream, write };
  }

  override async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    const events = await super.readStream(stream, options);
    if (this.race && this.race.stream === stream) {
      const { write } = this.race;
      this.race = undefined;
      await write();
    }
    return events;
  }
}

describe('optimistic concurrency over HTTP', () => {
  let inner: SqliteEventStore;
  let app: TestApp;
  let racing: RacingStore;

  beforeEach(async () => {
    inner = SqliteEventStore.open(':memory:');
    racing = new RacingStore(inner);
    app = await TestApp.start({ eventStore: racing });
    await app.createTenant('acme');
  });
  afterEach(async () => {
    await app.close();
    await inner.close();
  });

  it('answers 409 CONCURRENCY_CONFLICT when another write lands between read and append, and writes nothing', async () => {
    const key = await app.createKey('acme', { name: 'original' });
    const stream = `apikey-${key.id}`;
    racing.raceOnNextRead(stream, async () => {
      await app.app.get(CommandBus).execute(
        new UpdateKeyCommand(
          'acme',
          key.id,
          { name: 'renamed by the winner' },
          {
            actor: { type: 'system', id: 'race' },
            requestId: 'winner',
          },
        ),
      );
    });

    const res = await app.as().delete(`/v1/tenants/acme/keys/${key.id}`);
    expectStatus(res, 409);
    expect(res.body).toMatchObject({ code: 'CONCURRENCY_CONFLICT' });

    const events = await app.readStream(stream);
    expect(events.map((e) => e.type)).toEqual(['ApiKeyCreated', 'ApiKeyRenamed']);
    expect((await app.verify(key.key)).code).toBe('VALID');

    // The loser retries and now decides against the current state.
    expectStatus(await app.as().delete(`/v1/tenants/acme/keys/${key.id}`), 200);
    expect((await app.verify(key.key)).code).toBe('REVOKED');
  });
});
