import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { filterSettings, send } from './standin-call';
import type { StandInLog } from './standin-log';
import { caughtUp, checkpoint, confirmation, readEvent } from './standin-messages';
import { position } from './standin-reads';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

export interface SubscriptionBehaviour {
  /**
   * Whether to send `caught_up` when the catch-up phase reaches the end of the log, as servers
   * from 23.10 do. Off, the stand-in behaves like an older server that never says so.
   */
  readonly sendsCaughtUp: boolean;
  /** Counts subscriptions being served, for tests that must wait until one has started. */
  readonly open: { count: number };
}

/**
 * A catch-up subscription to `$all`, shaped like the server's: a confirmation first; every
 * stored event strictly after the start position that passes the filter; for a filtered
 * subscription, a checkpoint each time `checkpointInterval` events have been considered
 * (matching or not); `caught_up` once the end of the log is reached; then live events as
 * they are appended, with checkpoints continuing on the same count. Unfiltered subscriptions
 * see system events too, as on the server.
 */
export async function serveAllSubscription(
  call: ReadCall,
  log: StandInLog,
  options: ReadReq.Options,
  behaviour: SubscriptionBehaviour,
): Promise<void> {
  const all = options.getAll()!;
  const filter = filterSettings(options);
  let next = 0;
  if (all.hasPosition()) next = log.indexAfter(position(all.getPosition()!));
  else if (all.hasEnd()) next = log.length;

  let wake: (() => void) | undefined;
  const stopListening = log.onAppend(() => wake?.());
  const onCancelled = (): void => wake?.();
  call.once('cancelled', onCancelled);
  behaviour.open.count += 1;
  try {
    await send(call, confirmation(randomUUID()));
    let considered = 0;
    let live = false;
    while (!call.cancelled) {
      while (next < log.length && !call.cancelled) {
        const record = log.at(next++);
        if (!filter || filter.matches(record)) await send(call, readEvent(record, true));
        if (filter && ++considered >= filter.checkpointInterval) {
          considered = 0;
          await send(call, checkpoint(record.position));
        }
      }
      if (!live) {
        live = true;
        if (behaviour.sendsCaughtUp) await send(call, caughtUp());
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (next < log.length || call.cancelled) resolve();
      });
      wake = undefined;
    }
  } finally {
    behaviour.open.count -= 1;
    stopListening();
    call.off('cancelled', onCancelled);
  }
}
