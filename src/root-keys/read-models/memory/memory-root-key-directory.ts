import { Injectable } from '@nestjs/common';
import { asDomainEvent } from '../../../event-store/recorded-events';
import type { RecordedEvent } from '../../../event-store/event-store.port';
import type { RootKeyEvent } from '../../domain/root-key.events';
import { compileScopes } from '../../../shared/scope-matching';
import type {
  AuthenticatableRootKey,
  RootKeyDirectory,
  RootKeyRecord,
} from '../root-key-directory.port';

@Injectable()
export class MemoryRootKeyDirectory implements RootKeyDirectory {
  readonly name = 'root-key-directory';
  readonly filter = { streamPrefixes: ['rootkey-'] };
  private readonly byHash = new Map<string, AuthenticatableRootKey>();
  private readonly byId = new Map<string, { hash: string; record: RootKeyRecord }>();

  apply(event: RecordedEvent): void {
    const revision = Number(event.revision);
    const domainEvent = asDomainEvent<RootKeyEvent>(event);
    switch (domainEvent.type) {
      case 'RootKeyCreated': {
        if (revision !== 0 || this.byId.has(domainEvent.data.rootKeyId)) return;
        const { keyHash, createdBy: _createdBy, ...fields } = domainEvent.data;
        this.store(keyHash, { ...fields, revokedAt: null, revision });
        return;
      }
      case 'RootKeyRevoked': {
        const current = this.byId.get(domainEvent.data.rootKeyId);
        if (!current || revision <= current.record.revision) return;
        this.store(current.hash, {
          ...current.record,
          revokedAt: domainEvent.data.revokedAt,
          revision,
        });
        return;
      }
      default: {
        const unknownEvent: never = domainEvent;
        return unknownEvent;
      }
    }
  }

  lookup(keyHash: string): AuthenticatableRootKey | undefined {
    return this.byHash.get(keyHash);
  }

  findById(rootKeyId: string): RootKeyRecord | undefined {
    return this.byId.get(rootKeyId)?.record;
  }

  private store(hash: string, record: RootKeyRecord): void {
    this.byId.set(record.rootKeyId, { hash, record });
    this.byHash.set(hash, { record, abilities: compileScopes(record.abilities) });
  }
}
