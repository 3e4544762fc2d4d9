import { Inject, Injectable } from '@nestjs/common';
import { EventStreams, type Decision } from './event-streams';
import type { StreamDecider } from './stream-decider';
import { CLOCK, type Clock } from '../../shared/clock';
import type { CommandContext } from '../../shared/command-context';
import { ReadModelSync } from './read-model-sync.port';

/**
 * Runs a command against its stream and, when events were written, waits until this instance's
 * read models reflect them: a caller reads its own writes, and a revoke stops verification here
 * before the response leaves.
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

  async execute<S, C>(
    stream: string,
    decider: StreamDecider<S, C>,
    command: C,
    context: CommandContext,
    now: Date = this.clock.now(),
  ): Promise<Decision<S>> {
    const decision = await this.streams.execute(stream, decider, command, context, now);
    if (decision.appended) await this.readModels.waitForWrite(stream, decision.appended.position);
    return decision;
  }

  load<S>(stream: string, decider: StreamDecider<S, unknown>) {
    return this.streams.load(stream, decider.initial, (s, e) => decider.evolve(s, e));
  }
}
