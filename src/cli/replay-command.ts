import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { exportedEvent } from '../audit';
import { replayKey } from '../audit';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../event-store/event-store.port';
import { apiKeyStream } from '../keys';
import { keyView } from '../keys';
import { NotFound } from '../shared/errors';
import { isoInstant } from './audit-commands';

export interface ReplayCli {
  write(text: string): void;
  withApp<T>(work: (app: INestApplicationContext) => Promise<T>): Promise<T>;
}

/** `keyledger replay --key <id> --as-of <time>`: a key's state at an instant, and why. */
export function registerReplayCommand(program: Command, cli: ReplayCli): void {
  program
    .command('replay')
    .description(
      "fold a key's events up to an instant: its state then, and the events that made it",
    )
    .requiredOption('--key <keyId>')
    .requiredOption('--as-of <time>', 'ISO 8601 instant', isoInstant)
    .option('--json', 'print JSON')
    .action(async (options: { key: string; asOf: Date; json?: boolean }) => {
      const events = await cli.withApp((app) =>
        app.get<EventStore>(EVENT_STORE).readStream(apiKeyStream(options.key)),
      );
      if (events.length === 0) throw new NotFound(`API key ${options.key} not found`);
      const { state, applied, later } = replayKey(events, options.asOf);
      const at = options.asOf.toISOString();
      const view = state && keyView(state, options.asOf);
      if (options.json) {
        const body = {
          keyId: options.key,
          asOf: at,
          state: view ?? null,
          events: applied.map(exportedEvent),
          laterEvents: later,
        };
        cli.write(`${JSON.stringify(body, null, 2)}\n`);
        return;
      }
      const lines = view
        ? [
            `Key ${options.key} as of ${at}: ${view.status}, after ${applied.length} of ${events.length} events.`,
            JSON.stringify(view, null, 2),
          ]
        : [
            `Key ${options.key} did not exist yet at ${at} (its first event is at ${events[0].metadata.occurredAt}).`,
          ];
      if (applied.length > 0) lines.push('Events up to then:', ...applied.map(describeEvent));
      if (later > 0) lines.push(`(${later} later event${later === 1 ? '' : 's'} not applied)`);
      cli.write(`${lines.join('\n')}\n`);
    });
}

function describeEvent(event: RecordedEvent): string {
  const { occurredAt, actor, requestId } = event.metadata;
  const { keyId: _keyId, tenantId: _tenantId, keyHash: _keyHash, ...details } = event.data;
  return `  #${event.revision} ${occurredAt} ${event.type} by ${actor.type}:${actor.id} (request ${requestId}) ${JSON.stringify(details)}`;
}
