import { Injectable } from '@nestjs/common';
import { asDomainEvent } from '../../event-store/stream-decider';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ApiKeyEvent } from '../../keys/domain/api-key.events';
import { deriveStatus, evolveApiKey, initialApiKeyState } from '../../keys/domain/api-key.state';
import type {
  KeyDirectory,
  KeyListQuery,
  KeyPage,
  KeyRecord,
  VerifiableKey,
  VerificationIndex,
} from '../key-directory.port';
import { CompactKeys } from './compact-keys';
import { decodeCursor, encodeCursor, newestFirst } from './key-cursor';

/** The embedded key directory: everything in memory, rebuilt from the event store at start. */
@Injectable()
export class MemoryKeyDirectory implements KeyDirectory, VerificationIndex {
  readonly name = 'key-directory';
  readonly filter = { streamPrefixes: ['apikey-'] };
  private readonly byId = new Map<string, VerifiableKey>();
  private readonly byHash = new Map<string, VerifiableKey>();
  private readonly compact = new CompactKeys();

  apply(event: RecordedEvent): void {
    // The id from the event data, not a slice of the stream name: a slice would pin the whole
    // stream-name string in memory for as long as the key lives.
    const keyId = (event.data as { keyId?: string }).keyId ?? event.stream.slice('apikey-'.length);
    const current = this.byId.get(keyId)?.record;
    const revision = Number(event.revision);
    if (current ? revision <= current.revision : revision !== 0) return;
    const before = current ? { ...current, exists: true as const } : initialApiKeyState;
    const state = evolveApiKey(
      before,
      asDomainEvent<ApiKeyEvent>(event),
      event.metadata.occurredAt,
    );
    if (!state.exists) return;
    const compiled = this.compact.verifiable(this.compact.record(state, revision));
    const { record } = compiled;
    this.byId.set(record.keyId, compiled);
    this.byHash.set(record.keyHash, compiled);
  }

  lookup(keyHash: string): VerifiableKey | undefined {
    return this.byHash.get(keyHash);
  }

  findById(tenantId: string, keyId: string): Promise<KeyRecord | undefined> {
    const record = this.byId.get(keyId)?.record;
    return Promise.resolve(record && record.tenantId === tenantId ? record : undefined);
  }

  findByHash(keyHash: string): Promise<KeyRecord | undefined> {
    return Promise.resolve(this.byHash.get(keyHash)?.record);
  }

  /** A bad cursor rejects the promise, as an adapter doing I/O would. */
  list(query: KeyListQuery, now: Date): Promise<KeyPage> {
    return new Promise((resolve) => resolve(this.page(query, now)));
  }

  private page(query: KeyListQuery, now: Date): KeyPage {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const matching: KeyRecord[] = [];
    for (const { record } of this.byId.values()) {
      if (record.tenantId !== query.tenantId) continue;
      if (query.environment && record.environment !== query.environment) continue;
      if (query.status && deriveStatus(record, now) !== query.status) continue;
      if (after && newestFirst(record, after) <= 0) continue;
      matching.push(record);
    }
    matching.sort(newestFirst);
    const items = matching.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor = matching.length > query.limit && last ? encodeCursor(last) : null;
    return { items, nextCursor };
  }

  count(): Promise<number> {
    return Promise.resolve(this.byId.size);
  }
}
