import { Inject, Injectable } from '@nestjs/common';
import { GENESIS_HASH, chainEvents } from '../hash-chain';
import type { CommandContext } from '../../shared/command-context';
import { ID_GENERATOR, type IdGenerator } from '../../shared/ids';
import {
  EVENT_STORE,
  type AppendResult,
  type EventStore,
  type JsonObject,
  type StreamRevision,
} from '../event-store.port';
import { foldRecorded, type Fold } from '../recorded-events';
import type { DomainEvent, StreamDecider } from '../../shared/decider';

export interface LoadedStream<S> {
  readonly stream: string;
  readonly state: S;
  /** Revision of the last event; undefined when the stream does not exist. */
  readonly revision: StreamRevision | undefined;
  readonly lastHash: string;
}

export const SCHEMA_VERSION = 1;

/**
 * Folds a stream into state and appends decided events to it, chained into the stream's
 * hash chain and guarded by the revision that was folded (optimistic concurrency).
 */
@Injectable()
export class EventStreams {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** The stream folded by its decider (stored events of a type it does not know are skipped). */
  async load<S, E extends DomainEvent>(
    stream: string,
    decider: Fold<S, E>,
  ): Promise<LoadedStream<S>> {
    const events = await this.store.readStream(stream);
    const last = events.at(-1);
    return {
      stream,
      state: foldRecorded(decider, events),
      revision: last?.revision,
      lastHash: last?.metadata.hash ?? GENESIS_HASH,
    };
  }

  /** Load, decide, append with the folded revision: the only way commands change state. */
  async execute<S, C, E extends DomainEvent>(
    stream: string,
    decider: StreamDecider<S, C, E>,
    command: C,
    context: CommandContext,
    now: Date,
  ): Promise<Decision<S, E>> {
    const loaded = await this.load(stream, decider);
    const events = decider.decide(command, loaded.state, now);
    if (events.length === 0) return { loaded, events };
    const appended = await this.append(loaded, events, context, now);
    return { loaded, events, appended };
  }

  async append(
    loaded: LoadedStream<unknown>,
    events: readonly DomainEvent[],
    context: CommandContext,
    now: Date,
  ): Promise<AppendResult> {
    const occurredAt = now.toISOString();
    const drafts = events.map((event) => ({
      id: this.ids.uuid(),
      type: event.type,
      data: event.data as JsonObject,
      metadata: {
        schemaVersion: SCHEMA_VERSION,
        occurredAt,
        actor: context.actor,
        requestId: context.requestId,
        ...(context.ip !== undefined ? { ip: context.ip } : {}),
        ...(context.userAgent !== undefined ? { userAgent: context.userAgent } : {}),
      },
    }));
    const chained = chainEvents(loaded.stream, loaded.revision, loaded.lastHash, drafts);
    return this.store.append(loaded.stream, chained, loaded.revision ?? 'no_stream');
  }
}

export interface Decision<S, E extends DomainEvent = DomainEvent> {
  readonly loaded: LoadedStream<S>;
  readonly events: readonly E[];
  /** Absent when the decision produced no events (nothing was written). */
  readonly appended?: AppendResult;
}
