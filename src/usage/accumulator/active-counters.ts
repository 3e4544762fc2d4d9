import type { UsageCounter } from './usage-counter';
import type { VerifiedKey } from '../../keys';

/**
 * The counters summing, each key's first counter found by key id, and for verify uses also by
 * the verifier's key object. An unchanged key is the same object on every use, and finding it
 * by identity skips reading its id string, one cache miss fewer per use: with 10 k keys in use
 * that saved close to half of what counting a use cost. A changed key is a new object with the
 * same id: it is matched up by id the first time it is seen.
 */
export class ActiveCounters {
  private byId = new Map<string, UsageCounter>();
  private byKey = new Map<VerifiedKey, UsageCounter>();

  /** `maxKeys` bounds the objects remembered, should an index answer with a new one per use. */
  constructor(private readonly maxKeys: number) {}

  /** The first counter of `key`'s id, if it has one. */
  headOf(key: VerifiedKey): UsageCounter | undefined {
    let head = this.byKey.get(key);
    if (head === undefined) {
      head = this.byId.get(key.record.keyId);
      if (head !== undefined) this.remember(key, head);
    }
    return head;
  }

  headById(keyId: string): UsageCounter | undefined {
    return this.byId.get(keyId);
  }

  /** Makes `head` its key's first counter, found by id and by `key` if given. */
  addHead(head: UsageCounter, key?: VerifiedKey): void {
    this.byId.set(head.keyId, head);
    if (key !== undefined) this.remember(key, head);
  }

  /** Every counter, each key's first one first; then forgets them all. */
  takeAll(): UsageCounter[] {
    const counters: UsageCounter[] = [];
    for (const head of this.byId.values()) {
      if (head.all) for (const counter of head.all.values()) counters.push(counter);
      else counters.push(head);
    }
    this.byId = new Map();
    this.byKey = new Map();
    return counters;
  }

  private remember(key: VerifiedKey, head: UsageCounter): void {
    if (this.byKey.size >= this.maxKeys) this.byKey.clear();
    this.byKey.set(key, head);
  }
}
