import { Inject, Injectable } from '@nestjs/common';
import type { AppendResult } from '../event-store.port';
import { EventStreams, type Decision, type LoadedStream } from './event-streams';
import type { Fold } from '../recorded-events';
import type { DomainEvent, StreamDecider } from '../../shared/decider';
import { CLOCK, type Clock } from '../../shared/clock';
import type { CommandContext } from '../../shared/command-context';
import { ReadModelLagging } from '../../shared/errors';
import { ReadModelSync } from './read-model-sync.port';

/**
 * Runs a command against its stream and, when events were written, waits until this instance's
 * read models reflect them: a caller reads its own writes, and a revoke stops verification here
 * before the response leaves. A promise it cannot keep fails loudly: if the write does not show
 * within the `ReadModelSync` wait, `execute` rejects with `ReadModelLagging` (503
 * READ_MODEL_LAGGING) instead of answering as if it had. The append is never undone.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    private readonly streams: EventStreams,
    private readonly readModels: ReadModelSync,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /**
   * Decides and appends (`EventStreams.execute`), then waits for the write to show here, unless
   * `wait` is false: a use case that writes several streams in turn waits once, for the last
   * write (`showWrite`), so a lagging first write cannot stop the second from being made.
   * @throws ReadModelLagging when events were appended but `ReadModelSync.waitForWrite` answered
   *   false: they stay appended; only the read-your-writes guarantee could not be given in time.
   */
  async execute<S, C, E extends DomainEvent>(
    stream: string,
    decider: StreamDecider<S, C, E>,
    command: C,
    context: CommandContext,
    now: Date = this.clock.now(),
    { wait = true }: { readonly wait?: boolean } = {},
  ): Promise<Decision<S, E>> {
    const decision = await this.streams.execute(stream, decider, command, context, now);
    if (wait) await this.showWrite(stream, decision.appended);
    return decision;
  }

  /**
   * Waits until what was appended to `stream` (and, positions being global, everything appended
   * before it) shows in this instance's read models; nothing to wait for when nothing was appended.
   * @throws ReadModelLagging when it did not show in time (the events stay appended).
   */
  async showWrite(stream: string, appended: AppendResult | undefined): Promise<void> {
    if (!appended) return;
    const shown = await this.readModels.waitForWrite(stream, appended.position);
    if (!shown) throw new ReadModelLagging();
  }

  /** The stream's current state, folded by its decider; nothing is decided or written. */
  load<S, E extends DomainEvent>(stream: string, decider: Fold<S, E>): Promise<LoadedStream<S>> {
    return this.streams.load(stream, decider);
  }
}
