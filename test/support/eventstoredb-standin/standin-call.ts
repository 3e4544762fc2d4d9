import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { LogRecord } from './standin-log';

type AnyWritable = Pick<
  ServerWritableStream<unknown, unknown>,
  'write' | 'cancelled' | 'once' | 'off' | 'emit'
>;

/** Writes one message, waiting while the client is not reading (gRPC flow control). */
export async function send(call: AnyWritable, message: unknown): Promise<void> {
  if (call.cancelled || call.write(message)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.once('drain', done);
    call.once('cancelled', done);
    call.once('close', done);
  });
}

/** Ends the call with a gRPC status other than OK, the way grpc-js servers report failures. */
export function fail(call: Pick<AnyWritable, 'emit'>, code: status, details: string): void {
  call.emit('error', Object.assign(new Error(details), { code, details }));
}

export type RecordFilter = (record: LogRecord) => boolean;

export interface FilterSettings {
  readonly matches: RecordFilter;
  /** Checkpoint after this many records have been considered (window × multiplier). */
  readonly checkpointInterval: number;
}

/** The server's default search window when the client asks for `count` instead of `max`. */
const DEFAULT_SEARCH_WINDOW = 32;

/** A stream-name or event-type filter, by prefix list or regex; undefined for `no_filter`. */
export function filterSettings(options: ReadReq.Options): FilterSettings | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter()!;
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  const checkpointInterval = Math.max(
    1,
    window * Math.max(1, filter.getCheckpointintervalmultiplier()),
  );
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw new Error('A filter needs an expression');
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const test = (value: string): boolean =>
    prefixes.length > 0
      ? prefixes.some((prefix) => value.startsWith(prefix))
      : !!regex?.test(value);
  return {
    checkpointInterval,
    matches: (record) => test(onStream ? record.stream : record.type),
  };
}
