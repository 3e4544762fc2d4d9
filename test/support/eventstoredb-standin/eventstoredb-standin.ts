import {
  Server,
  ServerCredentials,
  status,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import {
  ServerFeaturesService,
  type IServerFeaturesServer,
} from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@eventstore/db-client/generated/serverfeatures_pb';
import {
  StreamsService,
  type IStreamsServer,
} from '@eventstore/db-client/generated/streams_grpc_pb';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { DEFAULT_MAX_APPEND_SIZE, serveAppend, serveBatchAppend } from './standin-appends';
import { fail } from './standin-call';
import { StandInLog } from './standin-log';
import { serveRead } from './standin-reads';
import { serveAllSubscription, type SubscriptionBehaviour } from './standin-subscription';

export interface EventStoreDbStandInOptions {
  /** Loopback only by default; port 0 picks a free one. */
  readonly host?: string;
  readonly port?: number;
  /** Send `caught_up` to subscriptions (servers from 23.10). Default true. */
  readonly sendsCaughtUp?: boolean;
  /** List BatchAppend among the features (servers from 21.10); off, clients use Append. */
  readonly batchAppend?: boolean;
  readonly maxAppendSize?: number;
}

const STREAMS_SERVICE = 'event_store.client.streams.Streams';

/**
 * An EventStoreDB gRPC stand-in for tests: NOT EventStoreDB. A @grpc/grpc-js server built on
 * the service definitions shipped inside `@eventstore/db-client` (its `generated/` folder),
 * answering the calls that client makes for Keyledger's adapter, over a real socket:
 * ServerFeatures.GetSupportedMethods at connect, Streams.BatchAppend and Streams.Append with
 * expected revisions, Streams.Read of a stream forwards and backwards, of `$all` (with filters)
 * and as a catch-up subscription to `$all` with filter, checkpoints and `caught_up`.
 * Everything is held in memory. Not implemented: TLS and authentication, gossip and cluster
 * discovery, stream subscriptions, deletes and tombstones, stream metadata ($maxAge, ACLs),
 * persistent subscriptions, projections, idempotent re-appends of the same event ids, link
 * resolution, structured UUIDs, and the check that a start position points at an event.
 */
export class EventStoreDbStandIn {
  private constructor(
    private readonly server: Server,
    readonly log: StandInLog,
    readonly port: number,
    private readonly subscriptions: { count: number },
  ) {}

  static async start(options: EventStoreDbStandInOptions = {}): Promise<EventStoreDbStandIn> {
    const log = new StandInLog();
    const server = new Server();
    const open = { count: 0 };
    const behaviour = { sendsCaughtUp: options.sendsCaughtUp ?? true, open };
    const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
    const batchAppend = options.batchAppend ?? true;
    const read: IStreamsServer['read'] = (call) => void serveReadCall(call, log, behaviour);
    const append: IStreamsServer['append'] = (call, done) => serveAppend(call, done, log);
    const batch: IStreamsServer['batchAppend'] = (call) =>
      serveBatchAppend(call, log, maxAppendSize);
    // A method left out answers UNIMPLEMENTED, as an older server does for BatchAppend.
    const streams: UntypedServiceImplementation = batchAppend
      ? { read, append, batchAppend: batch }
      : { read, append };
    server.addService(StreamsService, streams);
    const getSupportedMethods: IServerFeaturesServer['getSupportedMethods'] = (_call, done) =>
      done(null, supportedMethods(batchAppend));
    server.addService(ServerFeaturesService, { getSupportedMethods });
    const host = options.host ?? '127.0.0.1';
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `${host}:${options.port ?? 0}`,
        ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    return new EventStoreDbStandIn(server, log, port, open);
  }

  /** How many `$all` subscriptions the stand-in is serving now. */
  get openSubscriptions(): number {
    return this.subscriptions.count;
  }

  /** The connection string a client uses: plaintext, single node. */
  get url(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Stops at once: open subscriptions and calls are cancelled, as when a server goes away. */
  stop(): Promise<void> {
    this.server.forceShutdown();
    return Promise.resolve();
  }
}

async function serveReadCall(
  call: ServerWritableStream<ReadReq, ReadResp>,
  log: StandInLog,
  behaviour: SubscriptionBehaviour,
): Promise<void> {
  try {
    const options = call.request.getOptions();
    if (!options) throw new Error('Read needs options');
    if (!options.hasSubscription()) await serveRead(call, log, options);
    else if (options.hasAll()) await serveAllSubscription(call, log, options, behaviour);
    else return fail(call, status.UNIMPLEMENTED, 'The stand-in has no stream subscriptions');
    call.end();
  } catch (error) {
    fail(call, status.INVALID_ARGUMENT, error instanceof Error ? error.message : String(error));
  }
}

function supportedMethods(batchAppend: boolean): SupportedMethods {
  const method = (service: string, name: string) =>
    new SupportedMethod().setServiceName(service).setMethodName(name);
  const methods = [
    method(STREAMS_SERVICE, 'read'),
    method(STREAMS_SERVICE, 'append'),
    ...(batchAppend ? [method(STREAMS_SERVICE, 'batchappend')] : []),
    method('event_store.client.server_features.ServerFeatures', 'getsupportedmethods'),
  ];
  return new SupportedMethods()
    .setEventStoreServerVersion('24.10.0-keyledger-standin')
    .setMethodsList(methods);
}
