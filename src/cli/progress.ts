/** Where progress goes: stderr, so that stdout stays the command's output. */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const WIDTH = 28;

/**
 * A progress bar on a terminal (redrawn in place at most every 100 ms), or a plain line every
 * few seconds when stderr is a file or a pipe, so logs stay readable.
 */
export class Progress {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private readonly started: number;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly label: string,
    private readonly format: (done: number) => string = String,
    private readonly now: () => number = Date.now,
    private readonly plainEveryMs = 5000,
  ) {
    this.started = now();
  }

  /** `total` when known: shows a bar and a percentage. */
  update(done: number, total?: number): void {
    const now = this.now();
    const tty = this.sink.isTTY === true;
    if (now - this.lastDraw < (tty ? 100 : this.plainEveryMs)) return;
    if (!tty && now - this.started < this.plainEveryMs) return; // short runs print nothing
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = `${this.format(Math.round(done / seconds))}/s`;
    const share = total ? Math.min(done / total, 1) : undefined;
    const amount = total ? `${this.format(done)} of ${this.format(total)}` : this.format(done);
    if (!tty) {
      const percent = share === undefined ? '' : ` ${Math.floor(share * 100)}%`;
      this.sink.write(`${this.label}:${percent} ${amount} (${rate})\n`);
      return;
    }
    const bar =
      share === undefined
        ? ''
        : `[${'#'.repeat(Math.round(share * WIDTH)).padEnd(WIDTH, '.')}] ${Math.floor(share * 100)}% `;
    this.sink.write(`\r\x1b[K${this.label} ${bar}${amount} (${rate})`);
    this.drawn = true;
  }

  /** Clears the bar from the terminal line. */
  done(): void {
    if (this.drawn) this.sink.write('\r\x1b[K');
    this.drawn = false;
  }
}

export const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;
export const events = (count: number): string => `${count.toLocaleString('en-US')} events`;
