import type { StatusClass, UsageCount } from '../../domain/usage-recorded';

/** The sums of one key × endpoint × status class within one bucket. */
export interface BucketCounter {
  readonly keyId: string;
  readonly endpoint: string;
  readonly status: StatusClass;
  readonly uses: number;
  readonly latencyMsSum: number;
  readonly latencyCount: number;
}

class Counter implements BucketCounter {
  uses = 0;
  latencyMsSum = 0;
  latencyCount = 0;
  /** On a key's first counter: the key's other counters, by status class and endpoint. */
  others: Map<string, Counter> | undefined = undefined;

  constructor(
    readonly keyId: string,
    readonly endpoint: string,
    readonly status: StatusClass,
  ) {}
}

/**
 * The counters of one bucket, found by key id. Most keys have a single counter in a bucket (a
 * verify use is always `unknown` on one endpoint), so a key's first counter is found with one
 * lookup by the key id, a string whose hash V8 keeps, and no key is built per counter added;
 * the key's other counters hang off its first.
 */
export class BucketCounters {
  private readonly byKey = new Map<string, Counter>();

  /** Adds a flushed counter's uses (it may be a reused object: only its values are kept). */
  add(count: Readonly<UsageCount>): void {
    const { keyId, endpoint, status } = count;
    const first = this.byKey.get(keyId);
    let counter: Counter;
    if (first === undefined) {
      counter = new Counter(keyId, endpoint, status);
      this.byKey.set(keyId, counter);
    } else if (first.endpoint === endpoint && first.status === status) {
      counter = first;
    } else {
      counter = otherCounter(first, endpoint, status);
    }
    counter.uses += count.uses;
    counter.latencyMsSum += count.latencyMsSum;
    counter.latencyCount += count.latencyCount;
  }

  /** Visits every counter of the bucket, or of one key only. */
  forEach(keyId: string | undefined, visit: (counter: BucketCounter) => void): void {
    if (keyId !== undefined) {
      const first = this.byKey.get(keyId);
      if (first) visitKey(first, visit);
      return;
    }
    for (const first of this.byKey.values()) visitKey(first, visit);
  }
}

/** The counter of `first`'s key for another endpoint or class, made on first use. */
function otherCounter(first: Counter, endpoint: string, status: StatusClass): Counter {
  // No class holds a `|`: the id is unambiguous.
  const id = `${status}|${endpoint}`;
  let counter = first.others?.get(id);
  if (counter === undefined) {
    counter = new Counter(first.keyId, endpoint, status);
    (first.others ??= new Map()).set(id, counter);
  }
  return counter;
}

function visitKey(first: Counter, visit: (counter: BucketCounter) => void): void {
  visit(first);
  if (first.others) for (const counter of first.others.values()) visit(counter);
}
