/**
 * Works out when a catch-up subscription has handled every event that existed when it started.
 *
 * The server marks that point in its message stream: a `caught_up` message (servers from
 * 23.10), or a checkpoint at or past the head of `$all` read at subscribe time. The client
 * reports such a mark as soon as it arrives, while events sent before it may still wait in the
 * client's buffer; so the mark is turned into a count, events taken from the buffer so far plus
 * those still in it, and the boundary is reached once that many have been handled.
 */
export class CatchUpBoundary {
  private taken = 0;
  private handled = 0;
  private target: number | undefined;
  private reached = false;

  constructor(private readonly onReached: () => void) {}

  /** An event was taken from the client's buffer to be handled. */
  take(): void {
    this.taken += 1;
  }

  /** The event taken last has been handled (delivered, or skipped by the filter). */
  handledOne(): void {
    this.handled += 1;
    this.check();
  }

  /** The server marked the end of the catch-up while `buffered` events await handling. */
  markAfter(buffered: number): void {
    const target = this.taken + buffered;
    if (this.target === undefined || target < this.target) this.target = target;
    this.check();
  }

  /** Everything up to the start-time head is known to be handled (an event past it was). */
  reachNow(): void {
    this.target = this.handled;
    this.check();
  }

  private check(): void {
    if (this.reached || this.target === undefined || this.handled < this.target) return;
    this.reached = true;
    this.onReached();
  }
}
