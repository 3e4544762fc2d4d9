import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { AppendResult } from '../../event-store/event-store.port';
import { CLOCK, type Clock } from '../../shared/clock';
import { UsageAccumulator, type UsageCell } from '../accumulator/usage-accumulator';
import { UsageAppendFailed, UsageEventWriter, type UnconfirmedAppend } from './usage-event-writer';

/**
 * Empties the usage buffer into one UsageRecorded event every flush interval, early when the
 * buffer is half full, and at shutdown. A failed flush loses nothing: its counters are summed
 * back into the buffer (or, if the store may have written them, checked first) and written by
 * the next one. One flush runs at a time.
 */
@Injectable()
export class UsageFlusher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Usage');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private queued: Promise<AppendResult | undefined> | undefined;
  private unconfirmed:
    { readonly append: UnconfirmedAppend; readonly cells: UsageCell[] } | undefined;
  private reportedDrops = 0;

  constructor(
    private readonly accumulator: UsageAccumulator,
    private readonly writer: UsageEventWriter,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Not from inside `record`: the verify that filled the buffer must not pay for the flush.
    this.accumulator.whenHalfFull(() => setImmediate(() => void this.flush()));
    this.timer = setInterval(() => void this.flush(), this.config.usage.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Writes what the buffer holds (resolving with where it was written, or undefined when there
   * was nothing to write or the store refused it). Never rejects. A call made while another
   * flush waits to start shares it.
   */
  flush(): Promise<AppendResult | undefined> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = undefined;
      return this.flushOnce();
    });
    this.queued = next;
    this.running = next;
    return next;
  }

  /** SIGTERM or `app.close()`: everything recorded so far is written while the store is open. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /**
   * The very last flush, once the HTTP server has stopped and just before the store closes, for
   * uses recorded by requests that were still in flight. What cannot be written now never will
   * be: it is counted as dropped and logged.
   */
  async flushBeforeStoreCloses(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.accumulator.size() > 0) await this.flush();
    const left = [...(this.unconfirmed?.cells ?? []), ...this.accumulator.take()];
    this.unconfirmed = undefined;
    if (left.length === 0) return;
    this.accumulator.abandon(left);
    this.logger.error(`${usesOf(left)} uses could not be written before shutdown and are lost`);
  }

  private async flushOnce(): Promise<AppendResult | undefined> {
    this.reportDrops();
    if (this.unconfirmed && !(await this.settleUnconfirmed())) return undefined;
    const cells = this.accumulator.take();
    if (cells.length === 0) return undefined;
    try {
      const result = await this.writer.write(cells, this.clock.now());
      this.accumulator.written(cells);
      return result;
    } catch (error) {
      this.accumulator.metrics.flushFailures++;
      if (error instanceof UsageAppendFailed)
        this.unconfirmed = { append: error.unconfirmed, cells };
      else this.accumulator.giveBack(cells);
      const reason = error instanceof UsageAppendFailed ? error.cause : error;
      this.logger.warn(
        `Usage flush failed; ${usesOf(cells)} uses kept for the next attempt: ${String(reason)}`,
      );
      return undefined;
    }
  }

  /** Finds out whether the append that failed was written after all; false if still unknown. */
  private async settleUnconfirmed(): Promise<boolean> {
    if (!this.unconfirmed) return true;
    const { append, cells } = this.unconfirmed;
    try {
      if (await this.writer.wasWritten(append)) this.accumulator.written(cells);
      else this.accumulator.giveBack(cells);
      this.unconfirmed = undefined;
      return true;
    } catch {
      return false;
    }
  }

  private reportDrops(): void {
    const dropped = this.accumulator.metrics.dropped;
    if (dropped === this.reportedDrops) return;
    this.logger.warn(
      `Usage buffer full (${this.accumulator.maxEntries} counters): ${dropped - this.reportedDrops} uses dropped since the last report`,
    );
    this.reportedDrops = dropped;
  }
}

function usesOf(cells: readonly UsageCell[]): number {
  let uses = 0;
  for (const cell of cells) uses += cell.uses;
  return uses;
}
