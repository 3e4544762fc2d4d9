import { randomUUID } from 'node:crypto';
import type { JsonObject, RecordedEvent } from '../../src/event-store/event-store.port';
import type { ApiKeyEvent } from '../../src/keys';
import { fakeHash } from './event-factory';

/**
 * Stored key events at consecutive global positions, each at the next revision of its key's
 * stream, as a subscription would deliver them to a key read model.
 */
export class KeyEventLog {
  readonly events: RecordedEvent[] = [];
  private position = 0n;
  private readonly revisions = new Map<string, bigint>();

  add(event: ApiKeyEvent, occurredAt = '2026-03-01T12:00:00.000Z'): RecordedEvent {
    this.position += 1n;
    const stream = `apikey-${event.data.keyId}`;
    const revision = this.revisions.get(stream) ?? 0n;
    this.revisions.set(stream, revision + 1n);
    const recorded: RecordedEvent = {
      id: randomUUID(),
      stream,
      revision,
      position: { commit: this.position, prepare: this.position },
      type: event.type,
      data: event.data as unknown as JsonObject,
      metadata: {
        schemaVersion: 1,
        occurredAt,
        actor: { type: 'system', id: 'test' },
        requestId: randomUUID(),
        prevHash: fakeHash(),
        hash: fakeHash(),
      },
    };
    this.events.push(recorded);
    return recorded;
  }
}
