import { Controller, Get, Inject } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { PublicRoute } from '../http/public-route';
import { ReadModelSync } from '../event-store/write-path/read-model-sync.port';
import { DomainError } from '../shared/errors';

@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModelSync,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @PublicRoute()
  health() {
    return { status: 'ok' };
  }

  /** Readiness: the event store answers and the read models have caught up. */
  @Get('ready')
  @PublicRoute()
  async ready() {
    try {
      await this.store.ping();
    } catch {
      throw new DomainError('unavailable', 'NOT_READY', 'Event store unreachable');
    }
    if (!this.readModels.isCaughtUp())
      throw new DomainError('unavailable', 'NOT_READY', 'Read models are catching up');
    return { status: 'ready' };
  }
}
