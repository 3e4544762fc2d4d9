import { join } from 'node:path';
import { CheckpointSealer } from '../../src/audit';
import { loadOrCreateSigningKey } from '../../src/audit/signing/signing-key-file';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.adapter';
import { systemClock } from '../../src/shared/clock';
import { randomIds } from '../../src/shared/ids';

/** The server's default `AUDIT_SEAL_EVERY_EVENTS`. */
const SEAL_EVERY_EVENTS = 1000;

/**
 * Seals a seeded store into signed checkpoints of 1000 events, with the data directory's own
 * signing key, as the server's background sealer would have done while the events were written.
 * Without it the first start of a server on the seeded store would seal the whole history
 * before it answers, which is audit work, not the rebuild of read models a benchmark measures.
 */
export async function sealSeededStore(dataDir: string): Promise<{ checkpoints: number }> {
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  try {
    const { signer } = loadOrCreateSigningKey(join(dataDir, 'audit-signing-key.pem'));
    const sealer = new CheckpointSealer(store, signer, systemClock, randomIds);
    const sealed = await sealer.sealAll(SEAL_EVERY_EVENTS);
    return { checkpoints: sealed.length };
  } finally {
    await store.close();
  }
}
