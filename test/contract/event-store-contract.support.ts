import { randomUUID } from 'node:crypto';
import type {
  EventStore,
  EventSubscription,
  GlobalPosition,
  RecordedEvent,
  SubscribeOptions,
} from '../../src/event-store/event-store.port';
import { makeNewEvent } from '../support/event-factory';

export type StreamCategory = 'apikey' | 'tenant' | 'rootkey' | 'usage';

/**
 * What each part of the contract needs. The store may be shared with other tests and hold
 * events already, so tests use their own stream names and positions they observed themselves.
 */
export interface ContractContext {
  /** The store under test, opened afresh for each test. */
  store(): EventStore;
  /** Opens another connection to the same store; closed after the test. */
  connectAgain?: () => Promise<EventStore>;
  /** Subscribes and records what is delivered; the subscription is closed after the test. */
  subscribe(options: SubscribeOptions, extra?: ProbeOptions): SubscriptionProbe;
}

export interface ProbeOptions {
  /** Subscribe through this store instead of `store()`. */
  readonly store?: EventStore;
  /** Runs after the event is recorded; the subscription awaits it. */
  readonly onEvent?: (event: RecordedEvent) => void | Promise<void>;
}

/** A stream name no other test uses, with one of the real prefixes. */
export function uniqueStream(category: StreamCategory = 'apikey', token = randomUUID()): string {
  return `${category}-${token}`;
}

/**
 * Appends a throwaway event and returns its position: everything appended afterwards is
 * strictly after it, whatever the store already held.
 */
export async function markPosition(store: EventStore): Promise<GlobalPosition> {
  const marker = makeNewEvent({ type: 'TenantCreated', data: { name: 'marker' } });
  const result = await store.append(uniqueStream('tenant'), [marker], 'no_stream');
  return result.position;
}

export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 2000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets every already-scheduled callback and timer-free continuation run. */
export function settleCallbacks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class SubscriptionProbe {
  readonly events: RecordedEvent[] = [];
  readonly errors: unknown[] = [];
  readonly subscription: EventSubscription;

  constructor(
    store: EventStore,
    options: SubscribeOptions,
    onEvent: (event: RecordedEvent) => void | Promise<void> = () => undefined,
  ) {
    this.subscription = store.subscribe(options, {
      onEvent: async (event) => {
        this.events.push(event);
        await onEvent(event);
      },
      onError: (error) => this.errors.push(error),
    });
  }

  ids(): string[] {
    return this.events.map((event) => event.id);
  }

  async waitForCount(count: number, timeoutMs?: number): Promise<void> {
    await waitFor(() => this.events.length >= count, `${count} delivered events`, timeoutMs);
  }
}
