import { FORWARDS, START, type EventStoreDBClient } from '@eventstore/db-client';
import {
  comparePositions,
  type EventFilter,
  type GlobalPosition,
  type RecordedEvent,
} from '../event-store.port';
import { keyledgerEvent } from './eventstoredb-events';
import { readToEnd } from './eventstoredb-reads';

const MIN_SCAN_BATCH = 256;
const MAX_SCAN_BATCH = 4096;

/**
 * One page of Keyledger's events in `$all`, strictly after `after`. This client's `readAll`
 * takes no server-side filter, so `$all` is read in batches and filtered here (system events,
 * other applications' streams, then the caller's filter) until `limit` events are found or
 * the log ends. A read from a position includes the event at that position: it is skipped.
 */
export async function readKeyledgerPage(
  client: EventStoreDBClient,
  after: GlobalPosition | undefined,
  filter: EventFilter | undefined,
  limit: number,
): Promise<RecordedEvent[]> {
  const page: RecordedEvent[] = [];
  const batchSize = Math.min(Math.max(limit, MIN_SCAN_BATCH), MAX_SCAN_BATCH);
  let cursor = after;
  for (;;) {
    const wanted = batchSize + (cursor ? 1 : 0);
    const batch = await readToEnd(
      client.readAll({ direction: FORWARDS, fromPosition: cursor ?? START, maxCount: wanted }),
    );
    for (const resolved of batch) {
      const position = resolved.event?.position;
      if (!position || (cursor && comparePositions(position, cursor) <= 0)) continue;
      const event = keyledgerEvent(resolved, filter);
      if (event) page.push(event);
      if (page.length === limit) return page;
    }
    const newest = batch.at(-1)?.event?.position;
    if (batch.length < wanted || !newest) return page;
    cursor = newest;
  }
}
