import type { GlobalPosition } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.adapter';
import { ManualClock } from '../../shared/clock';
import type { CommandContext } from '../../shared/command-context';
import type { StreamDecider } from '../../shared/decider';
import { ReadModelLagging } from '../../shared/errors';
import { randomIds } from '../../shared/ids';
import { CommandExecutor } from './command-executor';
import { EventStreams } from './event-streams';
import { ReadModelSync } from './read-model-sync.port';

/** Answers every wait with `shows`, and notes what it was asked. */
class ScriptedSync extends ReadModelSync {
  readonly asked: { stream: string; position: GlobalPosition }[] = [];
  constructor(private readonly shows: boolean) {
    super();
  }
  waitForWrite(stream: string, position: GlobalPosition): Promise<boolean> {
    this.asked.push({ stream, position });
    return Promise.resolve(this.shows);
  }
  isCaughtUp(): boolean {
    return true;
  }
}

interface Noted {
  readonly type: 'Noted';
  readonly data: { readonly n: number };
}

/** Counts notes; `Note` appends one, `Nothing` appends none. */
const notes: StreamDecider<number, 'Note' | 'Nothing', Noted> = {
  initial: 0,
  eventTypes: ['Noted'],
  evolve: (count) => count + 1,
  decide: (command, count) => (command === 'Note' ? [{ type: 'Noted', data: { n: count } }] : []),
};

const STREAM = 'note-1';
const context: CommandContext = { actor: { type: 'system', id: 'spec' }, requestId: 'req-1' };

describe('CommandExecutor', () => {
  let store: SqliteEventStore;
  const executorWith = (sync: ReadModelSync) =>
    new CommandExecutor(new EventStreams(store, randomIds), sync, new ManualClock());

  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('resolves with the decision once the read models show the write', async () => {
    const sync = new ScriptedSync(true);
    const decision = await executorWith(sync).execute(STREAM, notes, 'Note', context);

    expect(decision.events).toEqual([{ type: 'Noted', data: { n: 0 } }]);
    expect(sync.asked).toEqual([{ stream: STREAM, position: decision.appended?.position }]);
    expect((await store.readStream(STREAM)).map((e) => e.type)).toEqual(['Noted']);
  });

  it('rejects with ReadModelLagging when the write does not show in time, and keeps the append', async () => {
    const sync = new ScriptedSync(false);
    const executor = executorWith(sync);

    await expect(executor.execute(STREAM, notes, 'Note', context)).rejects.toThrow(
      ReadModelLagging,
    );
    const stored = await store.readStream(STREAM);
    expect(stored.map((e) => [e.type, e.data])).toEqual([['Noted', { n: 0 }]]);
    expect(stored[0].metadata.requestId).toBe('req-1');
    expect(sync.asked).toEqual([{ stream: STREAM, position: stored[0].position }]);

    // The next command folds the appended event: nothing was rolled back.
    await expect(executor.execute(STREAM, notes, 'Note', context)).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'READ_MODEL_LAGGING',
    });
    expect((await store.readStream(STREAM)).map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }]);
  });

  it('does not wait when the decision appended nothing', async () => {
    const sync = new ScriptedSync(false);
    const decision = await executorWith(sync).execute(STREAM, notes, 'Nothing', context);

    expect(decision.appended).toBeUndefined();
    expect(sync.asked).toEqual([]);
    expect(await store.readStream(STREAM)).toEqual([]);
  });

  it('says what happened without internals', () => {
    const error = new ReadModelLagging();
    expect(error.message).toMatch(/recorded/);
    expect(error.message).toMatch(/not yet visible/);
    expect(error.message).toMatch(/retrying an idempotent request is safe/);
    expect(error.message).not.toMatch(/note-1|position|stream|commit/i);
  });
});
