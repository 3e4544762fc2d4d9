import type { StatusClass, UsageCount } from '../domain/usage-recorded';

export const MINUTE_MS = 60_000;

/**
 * One counter of the usage buffer: the uses of one key on one endpoint with one status class in
 * one minute. A use reads and writes the first six fields only, declared first so that they sit
 * together at the start of the object, and each is a pointer or a small integer (minutes since
 * the epoch, milliseconds after the minute's start): V8 keeps an epoch-millisecond field in a
 * heap box of its own, one more cache miss per use.
 */
export class UsageCounter implements UsageCount {
  /**
   * Kept on a key's first counter only, where the buffer finds its others: the one used last
   * (most uses repeat it; for a key with a single counter it is the counter itself).
   */
  last: UsageCounter | undefined = undefined;
  /** Minutes since the epoch. */
  readonly minute: number;
  readonly endpoint: string;
  readonly status: StatusClass;
  uses = 0;
  /** The latest use, in milliseconds after the start of the minute. */
  lastUseMs: number;
  readonly keyId: string;
  readonly tenantId: string;
  latencyMsSum = 0;
  latencyCount = 0;
  /** On a key's first counter, once the key has two: every one of them. */
  all: Map<string, UsageCounter> | undefined = undefined;

  constructor(
    keyId: string,
    tenantId: string,
    endpoint: string,
    status: StatusClass,
    minute: number,
    lastUseMs: number,
  ) {
    this.minute = minute;
    this.endpoint = endpoint;
    this.status = status;
    this.lastUseMs = lastUseMs;
    this.keyId = keyId;
    this.tenantId = tenantId;
  }

  get minuteMs(): number {
    return this.minute * MINUTE_MS;
  }

  get lastUsedMs(): number {
    return this.minute * MINUTE_MS + this.lastUseMs;
  }

  /** This key's counter for the endpoint, class and minute, which becomes its `last`; or none. */
  find(endpoint: string, status: StatusClass, minute: number): UsageCounter | undefined {
    const last = this.last as UsageCounter;
    if (last.minute === minute && last.status === status && last.endpoint === endpoint) {
      return last;
    }
    const counter = this.all?.get(counterId(endpoint, status, minute));
    if (counter) this.last = counter;
    return counter;
  }

  /** Makes `counter`, a new counter of this (first) counter's key, findable and its `last`. */
  adopt(counter: UsageCounter): void {
    this.all ??= new Map([[counterId(this.endpoint, this.status, this.minute), this]]);
    this.all.set(counterId(counter.endpoint, counter.status, counter.minute), counter);
    this.last = counter;
  }
}

/** Unambiguous within a key: no class is a prefix of another, the minute ends at the `|`. */
function counterId(endpoint: string, status: StatusClass, minute: number): string {
  return `${status}${minute}|${endpoint}`;
}
