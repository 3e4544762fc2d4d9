import { Logger } from '@nestjs/common';
import {
  matchesFilter,
  type EventStore,
  type EventSubscription,
  type GlobalPosition,
} from '../../event-store/event-store.port';
import type { MongoProjection } from './mongo-projection';
import type { ProjectionPositions } from './projection-positions';
import type { ProjectionLease } from './projection-lease';

export interface ProjectionWriterOptions {
  /** How often the lease is renewed (or, by a standby instance, tried). */
  readonly renewEveryMs: number;
  readonly nowMs?: () => number;
  /** Called after each event all projections have applied (its position follows shortly). */
  readonly onApplied?: (position: GlobalPosition) => void;
  /** Longest the stored position trails the last event applied (one write per interval). */
  readonly positionEveryMs?: number;
}

/**
 * Runs the MongoDB projections on the one instance that holds the lease: subscribes from the
 * stored position, applies each event to every projection it concerns, then moves the
 * position. Every instance runs one; the others stand by and take over when the holder stops
 * renewing (crash, partition), resuming from the position. A holder that cannot renew stops
 * writing once its lease has run out, before another instance may take it.
 */
export class MongoProjectionWriter {
  private readonly logger = new Logger('ProjectionWriter');
  private readonly nowMs: () => number;
  private timer?: NodeJS.Timeout;
  private subscription?: EventSubscription;
  private heldUntilMs = 0;
  private ticking?: Promise<void>;
  private stopped = false;
  private lastProblem?: string;
  /** Applied but not yet in the stored position. */
  private unsaved?: GlobalPosition;
  private saving?: Promise<void>;
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly store: EventStore,
    private readonly projections: readonly MongoProjection[],
    private readonly lease: ProjectionLease,
    private readonly positions: ProjectionPositions,
    private readonly options: ProjectionWriterOptions,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Tries the lease now and then every `renewEveryMs`. */
  start(): Promise<void> {
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.options.renewEveryMs);
    this.timer.unref();
    return this.tick();
  }

  isWriting(): boolean {
    return this.subscription !== undefined;
  }

  /** Stops writing; on a graceful stop the lease is released so that a standby takes it at once. */
  async stop(options: { readonly release: boolean } = { release: true }): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    const wasWriting = this.isWriting();
    await this.stopWriting();
    if (wasWriting && options.release) {
      await this.lease.release().catch((error: unknown) => {
        this.logger.warn(`Could not release the projection lease: ${String(error)}`);
      });
    }
  }

  private tick(): Promise<void> {
    this.ticking ??= this.renew().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    const now = this.nowMs();
    try {
      const held = await this.lease.acquire(now);
      this.lastProblem = undefined;
      if (held) {
        this.heldUntilMs = now + this.lease.ttlMs;
        if (!this.isWriting() && !this.stopped) await this.startWriting();
      } else if (this.isWriting()) {
        this.logger.warn('Another instance holds the projection lease; this one stops writing');
        await this.stopWriting();
      }
    } catch (error) {
      const problem = String(error);
      if (problem !== this.lastProblem) this.logger.warn(`Projection lease: ${problem}`);
      this.lastProblem = problem;
      if (this.isWriting() && this.nowMs() >= this.heldUntilMs) {
        this.logger.warn('Projection lease ran out without renewal; this instance stops writing');
        await this.stopWriting();
      }
    }
  }

  private async startWriting(): Promise<void> {
    const after = await this.positions.read();
    const prefixes = this.projections.flatMap((p) => p.filter.streamPrefixes ?? []);
    this.logger.log('Holding the projection lease: writing MongoDB read models');
    const subscription = this.store.subscribe(
      { after, filter: { streamPrefixes: [...new Set(prefixes)] } },
      {
        onEvent: async (event) => {
          for (const projection of this.projections) {
            if (matchesFilter(projection.filter, event.stream, event.type))
              await projection.apply(event);
          }
          this.unsaved = event.position;
          this.saveTimer ??= setTimeout(
            () => void this.savePosition(),
            this.options.positionEveryMs ?? 20,
          );
          this.options.onApplied?.(event.position);
        },
        onError: (error) => {
          this.logger.error(`Projection writer stopped: ${String(error)}`);
          // The next renewal starts again from the position.
          if (this.subscription === subscription) this.subscription = undefined;
          void subscription.close();
        },
      },
    );
    this.subscription = subscription;
  }

  private async stopWriting(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
    await this.savePosition();
  }

  /**
   * Stores the last applied position. Idempotent projections make a position that trails
   * harmless: after a crash, the events since are applied again and change nothing.
   */
  private async savePosition(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.saving;
    const position = this.unsaved;
    if (!position) return;
    this.unsaved = undefined;
    this.saving = this.positions.advance(position).catch((error: unknown) => {
      this.logger.warn(`Could not store the projection position: ${String(error)}`);
      this.unsaved ??= position;
    });
    await this.saving;
  }
}
