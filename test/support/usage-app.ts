import type { EventStore, GlobalPosition } from '../../src/event-store/event-store.port';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { decodeUsage } from '../../src/usage/domain/usage-encoding';
import type { UsageRecorded } from '../../src/usage/domain/usage-recorded';
import { UsageFlusher } from '../../src/usage';
import type { TestApp } from './test-app';

/** Writes the app's usage buffer now and waits until its own read models show it. */
export async function flushUsage(t: TestApp): Promise<void> {
  const written = await t.app.get(UsageFlusher).flush();
  if (written) await t.app.get(ProjectionRunner).waitFor(written.position);
}

/** Every use the store holds in UsageRecorded events, per key id, read page by page. */
export async function storedUses(store: EventStore): Promise<Map<string, number>> {
  const uses = new Map<string, number>();
  let after: GlobalPosition | undefined;
  for (;;) {
    const page = await store.readAll({
      ...(after ? { after } : {}),
      filter: { eventTypes: ['UsageRecorded'] },
      maxCount: 500,
    });
    if (page.length === 0) return uses;
    for (const event of page) {
      for (const count of decodeUsage((event as unknown as UsageRecorded).data)) {
        uses.set(count.keyId, (uses.get(count.keyId) ?? 0) + count.uses);
      }
    }
    after = page[page.length - 1].position;
  }
}

export function total(uses: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const count of uses.values()) sum += count;
  return sum;
}
