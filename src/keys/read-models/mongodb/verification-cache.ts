import type { RecordedEvent } from '../../../event-store/event-store.port';
import { asDomainEvent } from '../../../event-store/recorded-events';
import type { ApiKeyEvent } from '../../domain/api-key.events';
import { evolveApiKey, initialApiKeyState } from '../../domain/api-key.state';
import type { KeyRecord, VerifiableKey, VerificationIndex } from '../key-directory.port';
import { CompactKeys } from './compact-keys';
import type { Projection } from '../../../projections/projection';

/** Where a miss is answered from. */
export interface CacheMissSource {
  /**
   * Resolves true once the shared key directory reflects every key event this instance has
   * applied to the cache; false if it did not get there in time (its writer is behind or down).
   */
  directoryIsFresh(): Promise<boolean>;
  /** The shared key directory's record for a hash. */
  findByHash(keyHash: string): Promise<KeyRecord | undefined>;
  /** The key folded from its own stream in the event store: exact, for a directory that lags. */
  foldFromStore(keyId: string): Promise<KeyRecord | undefined>;
}

export interface VerificationCacheOptions {
  /** Most keys held (known and unknown together); the oldest entry leaves first. */
  readonly maxEntries: number;
  /** How long a hash no key has is answered as unknown without asking MongoDB again. */
  readonly negativeTtlMs: number;
  readonly nowMs?: () => number;
}

/** A hash that no key had when MongoDB was last asked, and until when to believe it. */
interface Unknown {
  readonly unknownUntilMs: number;
}

const MAX_ATTEMPTS = 3;
/** Past this many remembered key changes during misses, the memory is dropped and misses re-read. */
const MAX_TOUCHED = 50_000;

/**
 * The verification index in front of MongoDB. A hit answers from memory, synchronously; a miss
 * reads the key directory by hash (one read per hash however many requests miss at once), and an
 * unknown hash is remembered for a short time. The cache is kept coherent by this instance's
 * own subscription to key events (`apply`): a new key enters the cache at once (so a key created
 * on another instance verifies here before the shared directory has it), and a change to a cached
 * key is folded into it, so a revocation takes effect here as soon as the event arrives.
 *
 * A miss never caches something older than what the subscription has already seen: it first
 * waits for the directory to be as fresh as the subscription, falls back to folding the key's
 * own stream when the directory stays behind, and reads again when the key changed during the
 * read. The checksum has stopped junk keys before any of this (see KeyVerifier).
 */
export class VerificationCache implements VerificationIndex, Projection {
  readonly name = 'verification-cache';
  readonly filter = { streamPrefixes: ['apikey-'] };
  private readonly entries = new Map<string, VerifiableKey | Unknown>();
  /** keyId → hash, for the keys held, so that a key event finds its entry. */
  private readonly hashes = new Map<string, string>();
  private readonly pending = new Map<string, Promise<VerifiableKey | undefined>>();
  private readonly compact = new CompactKeys();
  private readonly nowMs: () => number;
  /** Key events applied so far; a miss compares it before and after its read. */
  private sequence = 0;
  /** keyId → sequence of its latest event, while misses are in flight. */
  private readonly touched = new Map<string, number>();
  /** Misses that started before this sequence must read again (the touched map overflowed). */
  private forgottenBefore = 0;
  private inFlight = 0;
  private hitCount = 0;
  private missCount = 0;

  constructor(
    private readonly source: CacheMissSource,
    private readonly options: VerificationCacheOptions,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  lookup(keyHash: string): VerifiableKey | undefined | Promise<VerifiableKey | undefined> {
    const entry = this.entries.get(keyHash);
    if (entry !== undefined) {
      if ('record' in entry) {
        this.hitCount++;
        return entry;
      }
      if (entry.unknownUntilMs > this.nowMs()) {
        this.hitCount++;
        return undefined;
      }
      this.entries.delete(keyHash);
    }
    this.missCount++;
    let read = this.pending.get(keyHash);
    if (!read) {
      read = this.miss(keyHash).finally(() => this.pending.delete(keyHash));
      this.pending.set(keyHash, read);
    }
    return read;
  }

  /** Keys held, hits and misses since start: for /metrics and tests. */
  stats(): { readonly entries: number; readonly hits: number; readonly misses: number } {
    return { entries: this.entries.size, hits: this.hitCount, misses: this.missCount };
  }

  /** Fed by this instance's subscription to key events, from where the directory stood at start. */
  apply(event: RecordedEvent): void {
    const domainEvent = asDomainEvent<ApiKeyEvent>(event);
    const { keyId } = domainEvent.data;
    const revision = Number(event.revision);
    this.sequence++;
    if (this.inFlight > 0) this.remember(keyId);
    const held = this.heldKey(keyId);
    if (domainEvent.type === 'ApiKeyCreated') {
      // Delivered again, a creation must not undo what later events made of a key held.
      if (revision !== 0 || held !== undefined) return;
      const state = evolveApiKey(initialApiKeyState, domainEvent, event.metadata.occurredAt);
      if (state.exists) this.hold(this.compact.verifiable(this.compact.record(state, 0)));
      return;
    }
    if (held === undefined) return;
    const { record } = held;
    if (revision <= record.revision) return;
    if (revision !== record.revision + 1) {
      // A gap: some change never reached this entry. Drop it; the next use reads it afresh.
      this.forget(record);
      return;
    }
    const state = evolveApiKey({ exists: true, ...record }, domainEvent, event.metadata.occurredAt);
    if (state.exists) this.hold(this.compact.verifiable(this.compact.record(state, revision)));
  }

  private async miss(keyHash: string): Promise<VerifiableKey | undefined> {
    this.inFlight++;
    try {
      for (let attempt = 1; ; attempt++) {
        const startedAt = this.sequence;
        const fresh = await this.source.directoryIsFresh();
        let record = await this.source.findByHash(keyHash);
        if (record && !fresh) record = await this.source.foldFromStore(record.keyId);
        const held = this.entries.get(keyHash);
        // The subscription put the key here during the read: its copy is at least as new.
        if (held !== undefined && 'record' in held) return held;
        if (this.changedSince(record, startedAt) && attempt < MAX_ATTEMPTS) continue;
        if (!record) {
          if (fresh && this.sequence === startedAt) {
            this.hold({ unknownUntilMs: this.nowMs() + this.options.negativeTtlMs }, keyHash);
          }
          return undefined;
        }
        const verifiable = this.compact.verifiable(record);
        // Only what is known to be current is kept; a changed key is answered, not cached.
        if (fresh && !this.changedSince(record, startedAt)) this.hold(verifiable);
        return verifiable;
      }
    } finally {
      if (--this.inFlight === 0) this.touched.clear();
    }
  }

  private changedSince(record: KeyRecord | undefined, startedAt: number): boolean {
    if (startedAt < this.forgottenBefore) return true;
    if (!record) return false;
    const changedAt = this.touched.get(record.keyId);
    return changedAt !== undefined && changedAt > startedAt;
  }

  private remember(keyId: string): void {
    if (this.touched.size >= MAX_TOUCHED) {
      this.touched.clear();
      this.forgottenBefore = this.sequence;
    }
    this.touched.set(keyId, this.sequence);
  }

  private hold(entry: VerifiableKey | Unknown, unknownHash?: string): void {
    const hash = 'record' in entry ? entry.record.keyHash : unknownHash;
    if (hash === undefined) return;
    if (!this.entries.has(hash) && this.entries.size >= this.options.maxEntries) this.evictOldest();
    // Re-inserting moves the entry to the young end: eviction order is the order of last change.
    this.entries.delete(hash);
    this.entries.set(hash, entry);
    if ('record' in entry) this.hashes.set(entry.record.keyId, hash);
  }

  private heldKey(keyId: string): VerifiableKey | undefined {
    const hash = this.hashes.get(keyId);
    const held = hash === undefined ? undefined : this.entries.get(hash);
    return held !== undefined && 'record' in held ? held : undefined;
  }

  private forget(record: KeyRecord): void {
    this.entries.delete(record.keyHash);
    this.hashes.delete(record.keyId);
  }

  private evictOldest(): void {
    const oldest = this.entries.entries().next();
    if (oldest.done) return;
    const [hash, entry] = oldest.value;
    this.entries.delete(hash);
    if ('record' in entry) this.hashes.delete(entry.record.keyId);
  }
}
