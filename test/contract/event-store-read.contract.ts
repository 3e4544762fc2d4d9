import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  type GlobalPosition,
  type RecordedEvent,
} from '../../src/event-store/event-store.port';
import { makeNewEvent, makeNewEvents } from '../support/event-factory';
import { markPosition, uniqueStream, type ContractContext } from './event-store-contract.support';

const ids = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);
const revisionsOf = (events: readonly RecordedEvent[]): bigint[] =>
  events.map((event) => event.revision);

export function describeReads(context: ContractContext): void {
  describe('readStream', () => {
    const stream = (): Promise<string> => {
      const name = uniqueStream('apikey');
      return context
        .store()
        .append(name, makeNewEvents(5), 'no_stream')
        .then(() => name);
    };

    it('reads forwards from the first event by default', async () => {
      const name = await stream();
      expect(revisionsOf(await context.store().readStream(name))).toEqual([0n, 1n, 2n, 3n, 4n]);
    });

    it('reads backwards from the last event', async () => {
      const name = await stream();
      const events = await context.store().readStream(name, { direction: 'backwards' });
      expect(revisionsOf(events)).toEqual([4n, 3n, 2n, 1n, 0n]);
    });

    it('starts at fromRevision, inclusive, in either direction', async () => {
      const name = await stream();
      const store = context.store();
      const forwards = await store.readStream(name, { fromRevision: 2n });
      const backwards = await store.readStream(name, { direction: 'backwards', fromRevision: 2n });
      expect(revisionsOf(forwards)).toEqual([2n, 3n, 4n]);
      expect(revisionsOf(backwards)).toEqual([2n, 1n, 0n]);
      expect(await store.readStream(name, { fromRevision: 5n })).toEqual([]);
    });

    it('returns at most maxCount events', async () => {
      const name = await stream();
      const store = context.store();
      const forwards = await store.readStream(name, { maxCount: 2 });
      const backwards = await store.readStream(name, { direction: 'backwards', maxCount: 2 });
      const middle = await store.readStream(name, { fromRevision: 1n, maxCount: 3 });
      expect(revisionsOf(forwards)).toEqual([0n, 1n]);
      expect(revisionsOf(backwards)).toEqual([4n, 3n]);
      expect(revisionsOf(middle)).toEqual([1n, 2n, 3n]);
    });

    it('reads a stream that does not exist as empty', async () => {
      const store = context.store();
      expect(await store.readStream(uniqueStream('apikey'))).toEqual([]);
      const backwards = await store.readStream(uniqueStream('tenant'), { direction: 'backwards' });
      expect(backwards).toEqual([]);
    });
  });

  describe('readAll', () => {
    it('reads events of several streams in global order, strictly after `after`', async () => {
      const store = context.store();
      const [key, tenant] = [uniqueStream('apikey'), uniqueStream('tenant')];
      const before = await markPosition(store);
      const written = [makeNewEvent(), makeNewEvent({ type: 'TenantCreated' }), makeNewEvent()];
      await store.append(key, [written[0]], 'no_stream');
      const { position: tenantAt } = await store.append(tenant, [written[1]], 'no_stream');
      await store.append(key, [written[2]], 0n);
      const filter = { streamPrefixes: [key, tenant] };

      const all = await store.readAll({ after: before, filter });
      const afterTenant = await store.readAll({ after: tenantAt, filter });

      expect(ids(all)).toEqual(ids(written));
      expect(all.map((event) => event.stream)).toEqual([key, tenant, key]);
      expect(comparePositions(all[0].position, all[1].position)).toBe(-1);
      expect(comparePositions(all[1].position, all[2].position)).toBe(-1);
      expect(ids(afterTenant)).toEqual([written[2].id]);
    });

    it('pages with maxCount until an empty page', async () => {
      const store = context.store();
      const stream = uniqueStream('usage');
      const before = await markPosition(store);
      const written = makeNewEvents(5, { type: 'UsageRecorded' });
      await store.append(stream, written, 'no_stream');

      const pageSizes: number[] = [];
      const read: RecordedEvent[] = [];
      let after: GlobalPosition = before;
      for (;;) {
        const page = await store.readAll({
          after,
          filter: { streamPrefixes: [stream] },
          maxCount: 2,
        });
        pageSizes.push(page.length);
        if (page.length === 0) break;
        read.push(...page);
        after = page[page.length - 1].position;
      }

      expect(pageSizes).toEqual([2, 2, 1, 0]);
      expect(ids(read)).toEqual(ids(written));
    });

    it('returns at most 1000 events when no maxCount is given', async () => {
      const store = context.store();
      const stream = uniqueStream('usage');
      const before = await markPosition(store);
      await store.append(stream, makeNewEvents(1001, { type: 'UsageRecorded' }), 'no_stream');

      const page = await store.readAll({ after: before, filter: { streamPrefixes: [stream] } });

      expect(page).toHaveLength(1000);
      expect(page[999].revision).toBe(999n);
    });

    it('filters by stream prefix', async () => {
      const store = context.store();
      const token = randomUUID();
      const before = await markPosition(store);
      await store.append(uniqueStream('tenant', `${token}-a`), [makeNewEvent()], 'no_stream');
      await store.append(uniqueStream('apikey', token), [makeNewEvent()], 'no_stream');
      await store.append(uniqueStream('tenant', `${token}-b`), [makeNewEvent()], 'no_stream');
      await store.append(uniqueStream('usage', token), [makeNewEvent()], 'no_stream');

      const tenants = await store.readAll({
        after: before,
        filter: { streamPrefixes: [`tenant-${token}`] },
      });
      const tenantsAndUsage = await store.readAll({
        after: before,
        filter: { streamPrefixes: [`tenant-${token}`, `usage-${token}`] },
      });

      expect(tenants.map((e) => e.stream)).toEqual([`tenant-${token}-a`, `tenant-${token}-b`]);
      expect(tenantsAndUsage.map((e) => e.stream)).toEqual([
        `tenant-${token}-a`,
        `tenant-${token}-b`,
        `usage-${token}`,
      ]);
    });

    it('filters by event type, alone or with a stream prefix', async () => {
      const store = context.store();
      const [stream, other] = [uniqueStream('apikey'), uniqueStream('apikey')];
      const before = await markPosition(store);
      const created = makeNewEvent({ type: 'ApiKeyCreated' });
      const revoked = makeNewEvent({ type: 'ApiKeyRevoked' });
      await store.append(stream, [created, makeNewEvent({ type: 'ApiKeyRenamed' })], 'no_stream');
      await store.append(other, [makeNewEvent({ type: 'ApiKeyRevoked' })], 'no_stream');
      await store.append(stream, [revoked], 1n);

      // Other writers may share the store: only what this test wrote can be pinned down exactly.
      const revokedAnywhere = await store.readAll({
        after: before,
        filter: { eventTypes: ['ApiKeyRevoked'] },
      });
      const mine = await store.readAll({
        after: before,
        filter: { streamPrefixes: [stream], eventTypes: ['ApiKeyCreated', 'ApiKeyRevoked'] },
      });

      expect(revokedAnywhere.every((event) => event.type === 'ApiKeyRevoked')).toBe(true);
      expect(ids(revokedAnywhere)).toContain(revoked.id);
      expect(revokedAnywhere.map((event) => event.stream)).toContain(other);
      expect(ids(mine)).toEqual([created.id, revoked.id]);
    });
  });
}
