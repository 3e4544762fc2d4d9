import { randomBytes, randomUUID } from 'node:crypto';
import type { EventMetadata, JsonObject, NewEvent } from '../../src/event-store/event-store.port';

export interface NewEventOverrides {
  readonly id?: string;
  readonly type?: string;
  readonly data?: JsonObject;
  readonly metadata?: Partial<EventMetadata>;
}

/** A random 64-hex-digit string shaped like a SHA-256; store tests do not check the chain. */
export function fakeHash(): string {
  return randomBytes(32).toString('hex');
}

/** A valid event to append; every field can be overridden, metadata field by field. */
export function makeNewEvent(overrides: NewEventOverrides = {}): NewEvent {
  const metadata: EventMetadata = {
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    actor: { type: 'system', id: 'test' },
    requestId: randomUUID(),
    prevHash: fakeHash(),
    hash: fakeHash(),
    ...overrides.metadata,
  };
  return {
    id: overrides.id ?? randomUUID(),
    type: overrides.type ?? 'ApiKeyRenamed',
    data: overrides.data ?? { name: 'Production backend' },
    metadata,
  };
}

/** `count` valid events with distinct ids, e.g. for a multi-event append. */
export function makeNewEvents(count: number, overrides: NewEventOverrides = {}): NewEvent[] {
  return Array.from({ length: count }, () => makeNewEvent({ ...overrides, id: randomUUID() }));
}
