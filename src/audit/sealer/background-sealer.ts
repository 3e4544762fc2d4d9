import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import {
  EVENT_STORE,
  type EventStore,
  type EventSubscription,
} from '../../event-store/event-store.port';
import { ProjectionRunner } from '../../projections/projection-runner';
import { AUDIT_CHECKPOINT_STREAM } from '../checkpoint/audit-checkpoint';
import { CheckpointSealer } from './checkpoint-sealer';

/** False in processes that must not seal in the background (the CLI); null: decide. */
export const BACKGROUND_SEALING = Symbol('BackgroundSealing');

/**
 * Seals checkpoints in the server: as soon as `sealEveryEvents` events are unsealed, and every
 * `sealIntervalMs` whatever is unsealed. A subscription from the end of the last sealed range
 * counts new events (a trigger only: what gets sealed is always read from the store). One run
 * at a time; sealers in other processes are kept apart by the checkpoint stream's revision.
 */
@Injectable()
export class BackgroundSealer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditSealer');
  private subscription?: EventSubscription;
  private timer?: NodeJS.Timeout;
  private unsealed = 0;
  private running: Promise<void> = Promise.resolve();
  /** The run waiting behind the current one, if any: triggers meanwhile join it. */
  private queued?: { everything: boolean };
  private stopped = false;

  constructor(
    private readonly sealer: CheckpointSealer,
    private readonly projections: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BACKGROUND_SEALING) private readonly wanted: boolean | null,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * The sealer runs in the server: in an HTTP application, unless AUDIT_SEALER=off. Application
   * contexts (the CLI, in-process benchmarks) do not seal unless asked to.
   */
  private get enabled(): boolean {
    // `!= null`: an application context leaves the adapter null, not undefined.
    const isServer = this.adapterHost.httpAdapter != null;
    return this.wanted ?? (isServer && this.config.audit.sealer === 'on');
  }

  /** Starts once the read models have caught up, so sealing never slows the rebuild at boot. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    // Awaited, so the start-up reads are over before the application is ready: nothing of the
    // sealer's runs later except sealing itself.
    this.running = this.startWhenCaughtUp().catch((error: unknown) => this.report(error));
    await this.running;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.subscription?.close();
    await this.running;
  }

  private async startWhenCaughtUp(): Promise<void> {
    while (!this.projections.isCaughtUp()) {
      if (this.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, 10)); // not unref: boot waits on it
    }
    if (this.stopped) return;
    const after = await this.sealer.sealedUpTo();
    this.subscription = this.store.subscribe(after ? { after } : {}, {
      onEvent: (event) => {
        if (event.stream === AUDIT_CHECKPOINT_STREAM) return;
        this.unsealed++;
        if (this.unsealed >= this.config.audit.sealEveryEvents) this.schedule(false);
      },
      onError: (error) => this.report(error),
    });
    this.timer = setInterval(() => this.schedule(true), this.config.audit.sealIntervalMs);
    this.timer.unref();
  }

  /** Queues one sealing run after the current one; `everything` also seals a partial range. */
  private schedule(everything: boolean): void {
    if (this.queued) {
      this.queued.everything ||= everything;
      return;
    }
    const run = { everything };
    this.queued = run;
    this.running = this.running
      .then(() => {
        this.queued = undefined;
        return this.seal(run.everything);
      })
      .catch((error: unknown) => this.report(error));
  }

  private async seal(everything: boolean): Promise<void> {
    const size = this.config.audit.sealEveryEvents;
    while (!this.stopped) {
      const result = await this.sealer.sealNext({
        maxLeaves: size,
        minLeaves: everything ? 1 : size,
      });
      if (result.kind === 'not-enough') {
        this.unsealed = result.pending;
        return;
      }
      if (result.kind === 'sealed') {
        const { sequence, treeSize } = result.checkpoint;
        this.logger.debug(`Sealed checkpoint ${sequence} over ${treeSize} events`);
      }
    }
  }

  private report(error: unknown): void {
    if (this.stopped) return;
    this.logger.error(`Audit sealing failed; will retry: ${String(error)}`);
  }
}
