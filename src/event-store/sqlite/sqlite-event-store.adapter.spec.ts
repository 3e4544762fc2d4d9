import { makeNewEvent, makeNewEvents } from '../../../test/support/event-factory';
import type { RecordedEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store.adapter';
import { storedJson } from './sqlite-statements';

const tricky = {
  hint: 'kl_live_4fT9…Qx2a',
  emoji: 'key 🔑',
  cyrillic: 'ключ',
  lone: 'broken \uD800 pair',
  quotes: '"\\\u0000\u007f',
  nested: { list: ['é', null, 1.5, true] },
};

describe('storedJson', () => {
  it('is ASCII text that parses back to the same value', () => {
    const json = storedJson(tricky);
    expect([...json].every((char) => char.charCodeAt(0) < 0x80)).toBe(true);
    expect(JSON.parse(json)).toEqual(tricky);
  });

  it('is plain JSON.stringify for ASCII values', () => {
    const value = { a: 'plain', b: [1, 2], c: null };
    expect(storedJson(value)).toBe(JSON.stringify(value));
  });
});

describe('SqliteEventStore reads', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('give back data and metadata exactly as appended, non-ASCII text included', async () => {
    const event = makeNewEvent({ data: tricky, metadata: { userAgent: 'curl/8 — ünïcode' } });
    await store.append('apikey-unicode', [event], 'no_stream');
    const [read] = await store.readStream('apikey-unicode');
    expect({ data: read.data, metadata: read.metadata }).toEqual({
      data: event.data,
      metadata: event.metadata,
    });
  });

  it('let I/O and timers run between the pages of a readAll loop', async () => {
    await store.append('apikey-a', makeNewEvents(2500), 'no_stream');
    let read = 0;
    let readWhenOthersRan = -1;
    setImmediate(() => (readWhenOthersRan = read));
    let after: RecordedEvent['position'] | undefined;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 500 });
      if (page.length === 0) break;
      read += page.length;
      after = page[page.length - 1].position;
    }

    expect(read).toBe(2500);
    expect(readWhenOthersRan).toBeGreaterThanOrEqual(0);
    expect(readWhenOthersRan).toBeLessThan(2500);
  });
});
