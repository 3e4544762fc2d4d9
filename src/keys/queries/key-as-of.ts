import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { evolveRecorded } from '../../event-store/recorded-events';
import type { KeyRecord } from '../read-models/key-directory.port';
import { apiKeyDecider } from '../domain/api-key.decider';
import { apiKeyStream } from '../domain/api-key.events';

/**
 * A key as it was at an instant, folded from its own events up to that instant: the audit
 * answer, straight from the event stream rather than from a read model.
 */
@Injectable()
export class KeyAsOf {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async find(tenantId: string, keyId: string, asOf: Date): Promise<KeyRecord | undefined> {
    const events = await this.store.readStream(apiKeyStream(keyId));
    let state = apiKeyDecider.initial;
    let revision = -1;
    for (const event of events) {
      if (Date.parse(event.metadata.occurredAt) > asOf.getTime()) break;
      state = evolveRecorded(apiKeyDecider, state, event);
      revision = Number(event.revision);
    }
    if (!state.exists || state.tenantId !== tenantId) return undefined;
    const { exists: _exists, ...fields } = state;
    return { ...fields, revision };
  }
}
