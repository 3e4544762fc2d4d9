import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store.adapter';
import { EventStoreNotDurable, type WalFiles } from './wal-durability';

const event = (data: Record<string, string> = {}): NewEvent => ({
  id: randomUUID(),
  type: 'TenantCreated',
  data,
  metadata: {
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    actor: { type: 'system', id: 'spec' },
    requestId: randomUUID(),
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
  },
});

/** A log file whose syncs complete (or fail) only when the test says so. */
class HeldSyncs implements WalFiles {
  readonly pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  opened: string[] = [];
  open(path: string) {
    this.opened.push(path);
    return Promise.resolve({
      datasync: () =>
        new Promise<void>((resolve, reject) => this.pending.push({ resolve, reject })),
      close: () => Promise.resolve(),
    });
  }
  /** Waits until `count` syncs were asked for. */
  async asked(count: number): Promise<void> {
    for (let turn = 0; this.pending.length < count; turn++) {
      if (turn > 1000) throw new Error(`only ${this.pending.length} of ${count} syncs asked`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('SqliteEventStore durability off the event loop (WalDurability)', () => {
  let dir: string;
  let store: SqliteEventStore | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kl-wal-'));
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledges an append only once the log file is synced, though readers see it at once', async () => {
    const files = new HeldSyncs();
    const file = join(dir, 'events.sqlite');
    store = SqliteEventStore.open(file, { durability: { files } });
    let acknowledged = false;
    const append = store.append('tenant-a', [event()], 'no_stream').then((result) => {
      acknowledged = true;
      return result;
    });
    await files.asked(1);
    await turns(20);
    expect(files.opened).toEqual([`${file}-wal`]);
    expect(acknowledged).toBe(false);
    expect(await store.readStream('tenant-a')).toHaveLength(1);
    files.pending[0].resolve();
    await expect(append).resolves.toMatchObject({ nextExpectedRevision: 0n });
  });

  it('lets the commits made while a sync runs share the next sync', async () => {
    const files = new HeldSyncs();
    store = SqliteEventStore.open(join(dir, 'events.sqlite'), { durability: { files } });
    const first = store.append('tenant-a', [event()], 'no_stream');
    await files.asked(1);
    const more = Array.from({ length: 5 }, (_, i) =>
      store!.append(`tenant-${i}`, [event()], 'no_stream'),
    );
    await turns(20);
    expect(files.pending).toHaveLength(1);
    files.pending[0].resolve();
    await first;
    await files.asked(2);
    await turns(20);
    expect(files.pending).toHaveLength(2);
    files.pending[1].resolve();
    await expect(Promise.all(more)).resolves.toHaveLength(5);
  });

  it('refuses every append after a failed sync, without committing it, and keeps reading', async () => {
    const files = new HeldSyncs();
    store = SqliteEventStore.open(join(dir, 'events.sqlite'), { durability: { files } });
    const append = store.append('tenant-a', [event()], 'no_stream');
    await files.asked(1);
    files.pending[0].reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(append).rejects.toBeInstanceOf(EventStoreNotDurable);
    await expect(store.append('tenant-a', [event()], 0n)).rejects.toThrow(
      /appends are refused until the process restarts/,
    );
    expect(await store.readStream('tenant-a')).toHaveLength(1);
    expect(files.pending).toHaveLength(1);
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreNotDurable);
  });

  it('syncs the real log file and merges it into the database on another thread', async () => {
    const file = join(dir, 'events.sqlite');
    store = SqliteEventStore.open(file, { durability: { mergeAfterBytes: 64 * 1024 } });
    const before = statSync(file).size;
    const padding = 'x'.repeat(4000);
    for (let batch = 0; batch < 40; batch++) {
      const events = Array.from({ length: 10 }, () => event({ padding }));
      await store.append(`tenant-${batch}`, events, 'no_stream');
    }
    // Automatic checkpoints are off for this connection: only the merger thread copies
    // the log into the database file.
    for (let waited = 0; statSync(file).size < before + 1_000_000; waited += 20) {
      if (waited > 4000) throw new Error(`database file still ${statSync(file).size} bytes`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await store.readStream('tenant-39')).toHaveLength(10);
  });
});
