import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNewEvent } from '../../../test/support/event-factory';
import type { RecordedEvent } from '../event-store.port';
import { occurredAtOf } from '../occurred-at';
import { SqliteEventStore } from './sqlite-event-store.adapter';
import { storedJson } from './sqlite-statements';

/** The event as the adapter built it before metadata was parsed lazily: a plain object. */
const plain = (event: RecordedEvent): RecordedEvent => ({
  id: event.id,
  type: event.type,
  data: event.data,
  metadata: JSON.parse(JSON.stringify(event.metadata)) as RecordedEvent['metadata'],
  stream: event.stream,
  revision: event.revision,
  position: { ...event.position },
});

describe('Events read from SQLite', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('have the fields of a plain object, in its order, whatever copies or compares them', async () => {
    const written = makeNewEvent({ metadata: { ip: '10.0.0.1', userAgent: 'curl/8' } });
    await store.append('apikey-a', [written], 'no_stream');
    const [read] = await store.readStream('apikey-a');

    expect(Object.keys(read)).toEqual([
      'id',
      'type',
      'data',
      'metadata',
      'stream',
      'revision',
      'position',
    ]);
    expect(read).toEqual(plain(read));
    expect({ ...read }).toStrictEqual(plain(read));
    expect(read.metadata).toStrictEqual(written.metadata);
    const json = (value: unknown) =>
      JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(json(read)).toBe(json(plain(read)));
  });

  it('parse their metadata once, on first read, and give their time without parsing it', async () => {
    const written = makeNewEvent();
    await store.append('apikey-b', [written], 'no_stream');
    const [read] = await store.readAll();
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(occurredAtOf(read)).toBe(written.metadata.occurredAt);
      expect(parse).not.toHaveBeenCalled();
      const first = read.metadata;
      expect(read.metadata).toBe(first);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });
});

describe('A SQLite file written before the occurred_at column', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyledger-old-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The schema and rows of the adapter before this column existed. */
  function writeOldFile(file: string, event: ReturnType<typeof makeNewEvent>): void {
    const db = new Database(file);
    db.exec(`
      CREATE TABLE events (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        stream   TEXT    NOT NULL,
        revision INTEGER NOT NULL,
        id       TEXT    NOT NULL UNIQUE,
        type     TEXT    NOT NULL,
        data     TEXT    NOT NULL,
        metadata TEXT    NOT NULL,
        UNIQUE (stream, revision)
      );
      CREATE INDEX events_by_type ON events (type, position);
    `);
    db.prepare(
      'INSERT INTO events (stream, revision, id, type, data, metadata) VALUES (?, 0, ?, ?, ?, ?)',
    ).run('tenant-old', event.id, event.type, storedJson(event.data), storedJson(event.metadata));
    db.close();
  }

  it('reads its old rows, time included, and keeps appending with the column filled', async () => {
    const file = join(dir, 'events.db');
    const old = makeNewEvent({ metadata: { occurredAt: '2025-01-02T03:04:05.678Z' } });
    writeOldFile(file, old);
    const store = SqliteEventStore.open(file);
    try {
      const added = makeNewEvent({ metadata: { occurredAt: '2026-06-07T08:09:10.111Z' } });
      await store.append('tenant-new', [added], 'no_stream');
      const [first, second] = await store.readAll();

      const { id, type, data, metadata } = first;
      expect({ id, type, data, metadata }).toStrictEqual(old);
      expect(occurredAtOf(first)).toBe('2025-01-02T03:04:05.678Z');
      expect(occurredAtOf(second)).toBe('2026-06-07T08:09:10.111Z');
      const raw = new Database(file, { readonly: true });
      const column = raw.prepare('SELECT occurred_at FROM events ORDER BY position').pluck().all();
      raw.close();
      expect(column).toEqual([null, '2026-06-07T08:09:10.111Z']);
    } finally {
      await store.close();
    }
  });
});
