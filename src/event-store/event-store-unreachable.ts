import { DomainError } from '../shared/errors';

/**
 * The configured event store did not answer. At start this stops the service with one line
 * (the message names where it looked and why it failed, never a credential); later, `/ready`
 * answers 503 with it.
 */
export class EventStoreUnreachable extends DomainError {
  constructor(where: string, reason: string) {
    super(
      'unavailable',
      'EVENT_STORE_UNREACHABLE',
      `cannot reach the event store at ${where}: ${reason.replace(/\s+/g, ' ').trim()}`,
    );
  }
}
