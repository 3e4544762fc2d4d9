import { BACKWARDS, END, type EventStoreDBClient, type ResolvedEvent } from '@eventstore/db-client';
import type { GlobalPosition } from '../event-store.port';

/**
 * Reads a client read stream to its end. Always to the end: leaving a `for await` early
 * destroys the client's stream while the gRPC call under it stays open, unread, for as long as
 * the client lives (and `dispose()` then waits for it forever).
 */
export async function readToEnd(read: AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  for await (const resolved of read) events.push(resolved);
  return events;
}

/**
 * The position of the newest event in `$all` (system events included), or undefined for an
 * empty log. One small read: it doubles as the reachability check, and bounds the catch-up
 * of subscriptions on servers that do not say when they have caught up.
 */
export async function readHead(
  client: EventStoreDBClient,
  timeoutMs: number,
): Promise<GlobalPosition | undefined> {
  const read = client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      read.cancel().catch(() => undefined);
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const newest = readToEnd(read).then((events) => {
    const position = events[0]?.event?.position;
    return position && { commit: position.commit, prepare: position.prepare };
  });
  try {
    return await Promise.race([newest, timeout]);
  } finally {
    clearTimeout(timer);
    // The losing side must not surface as an unhandled rejection.
    newest.catch(() => undefined);
  }
}
