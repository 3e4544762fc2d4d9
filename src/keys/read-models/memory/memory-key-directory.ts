import { Injectable } from '@nestjs/common';
import { asDomainEvent } from '../../../event-store/recorded-events';
import type { RecordedEvent } from '../../../event-store/event-store.port';
import { occurredAtOf } from '../../../event-store/occurred-at';
import type { ApiKeyEvent } from '../../domain/api-key.events';
import { evolveApiKey, initialApiKeyState } from '../../domain/api-key.state';
import type {
  KeyDirectory,
  KeyListQuery,
  KeyPage,
  KeyRecord,
  VerifiableKey,
  VerificationIndex,
} from '../key-directory.port';
import { canonicalIsoMillis } from '../../../columnar/iso-millis';
import { decodeCursor, encodeCursor, newestFirstTimed, type TimedPosition } from './key-cursor';
import { KeyTable } from './key-table';
import { VerifiableKeys } from './verifiable-keys';

const STREAM_PREFIX = 'apikey-';
/** Keys whose verification view is kept made: about 0.85 KB each (measured), 55 MB in all. */
const HOT_KEYS = 65_536;

interface ListedKey extends TimedPosition {
  readonly row: number;
}

/**
 * The embedded key directory: everything in memory, rebuilt from the event store at start.
 * Keys live in a columnar `KeyTable` (about 200 bytes a key); `lookup` answers from the hash
 * index and a bounded set of ready-made verification views.
 */
@Injectable()
export class MemoryKeyDirectory implements KeyDirectory, VerificationIndex {
  readonly name = 'key-directory';
  readonly filter = { streamPrefixes: [STREAM_PREFIX] };
  private readonly keys = new KeyTable();
  private readonly verifiable = new VerifiableKeys(this.keys, HOT_KEYS);

  apply(event: RecordedEvent): void {
    const keyId =
      (event.data as { keyId?: string }).keyId ?? event.stream.slice(STREAM_PREFIX.length);
    const row = this.keys.rowOfId(keyId);
    const revision = Number(event.revision);
    if (row < 0 ? revision !== 0 : revision <= this.keys.revision(row)) return;
    const previous = row < 0 ? undefined : this.keys.record(row);
    const state = evolveApiKey(
      previous ? { ...previous, exists: true } : initialApiKeyState,
      asDomainEvent<ApiKeyEvent>(event),
      occurredAtOf(event),
    );
    if (!state.exists) return;
    if (previous === undefined) {
      this.keys.insert(state, revision);
      return;
    }
    this.keys.update(row, previous, state, revision);
    this.verifiable.forget(row);
  }

  lookup(keyHash: string): VerifiableKey | undefined {
    const row = this.keys.rowOfHash(keyHash);
    return row < 0 ? undefined : this.verifiable.get(row, keyHash);
  }

  /** The tenant owning `keyId`, if such a key was ever created (see `MemoryKeyUsageDirectory`). */
  ownerOf(keyId: string): string | undefined {
    const row = this.keys.rowOfId(keyId);
    return row < 0 ? undefined : this.keys.profile(row).tenantId;
  }

  findById(tenantId: string, keyId: string): Promise<KeyRecord | undefined> {
    const row = this.keys.rowOfId(keyId);
    const found = row >= 0 && this.keys.profile(row).tenantId === tenantId;
    return Promise.resolve(found ? this.keys.record(row) : undefined);
  }

  findByHash(keyHash: string): Promise<KeyRecord | undefined> {
    const row = this.keys.rowOfHash(keyHash);
    return Promise.resolve(row < 0 ? undefined : this.keys.record(row));
  }

  /** A bad cursor rejects the promise, as an adapter doing I/O would. */
  list(query: KeyListQuery, now: Date): Promise<KeyPage> {
    return new Promise((resolve) => resolve(this.page(query, now)));
  }

  private page(query: KeyListQuery, now: Date): KeyPage {
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const after = cursor && { ...cursor, createdAtMs: canonicalIsoMillis(cursor.createdAt) };
    const nowMs = now.getTime();
    const matching: ListedKey[] = [];
    for (let row = 0; row < this.keys.size; row++) {
      const profile = this.keys.profile(row);
      if (profile.tenantId !== query.tenantId) continue;
      if (query.environment && profile.environment !== query.environment) continue;
      if (query.status && this.keys.status(row, nowMs) !== query.status) continue;
      const createdAtMs = this.keys.createdAtMs(row);
      const listed: ListedKey = {
        createdAtMs,
        createdAt: Number.isNaN(createdAtMs) ? this.keys.createdAt(row) : undefined,
        keyId: this.keys.keyId(row),
        row,
      };
      if (after && newestFirstTimed(listed, after) <= 0) continue;
      matching.push(listed);
    }
    matching.sort(newestFirstTimed);
    const items = matching.slice(0, query.limit).map((listed) => this.keys.record(listed.row));
    const last = items.at(-1);
    return {
      items,
      nextCursor: matching.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  count(): Promise<number> {
    return Promise.resolve(this.keys.size);
  }
}
