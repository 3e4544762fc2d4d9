import type { ApiKeyFields } from '../../domain/api-key.state';
import { effectiveExpiry } from '../../domain/api-key.state';
import {
  compileIpAllowList,
  compileOriginAllowList,
  type AllowList,
} from '../../domain/restrictions';
import { compileScopes, type ScopeMatcher } from '../../../shared/scope-matching';
import type { KeyRecord, VerifiableKey } from '../key-directory.port';

/**
 * Builds key records for a directory of millions: every record has the same hidden class (one
 * literal, fields in a fixed order), and values many keys repeat — tenant, environment, kind,
 * creator, scope lists and their compiled matchers, allow-lists — are shared instances, not one
 * copy per key. Measured on 20 k keys this cut the heap per key by more than half.
 */
export class CompactKeys {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();
  private readonly scopeMatchers = new Map<string, ScopeMatcher>();
  private readonly ipLists = new Map<string, AllowList>();
  private readonly originLists = new Map<string, AllowList>();

  record(fields: ApiKeyFields, revision: number): KeyRecord {
    return {
      keyId: fields.keyId,
      tenantId: this.string(fields.tenantId),
      name: fields.name,
      environment: fields.environment,
      kind: fields.kind,
      scopes: this.list(fields.scopes),
      expiresAt: fields.expiresAt,
      rateLimit: fields.rateLimit,
      allowedIps: fields.allowedIps && this.list(fields.allowedIps),
      allowedOrigins: fields.allowedOrigins && this.list(fields.allowedOrigins),
      metadata: fields.metadata,
      keyHash: fields.keyHash,
      hint: fields.hint,
      createdAt: fields.createdAt,
      createdBy: this.string(fields.createdBy),
      rotatedFrom: fields.rotatedFrom,
      revokedAt: fields.revokedAt,
      revocationReason: fields.revocationReason,
      rotatedTo: fields.rotatedTo,
      graceEndsAt: fields.graceEndsAt,
      updatedAt: fields.updatedAt === fields.createdAt ? fields.createdAt : fields.updatedAt,
      revision,
    };
  }

  verifiable(record: KeyRecord): VerifiableKey {
    const expiry = effectiveExpiry(record);
    return {
      record,
      scopes: this.shared(this.scopeMatchers, record.scopes, compileScopes),
      ips: record.allowedIps && this.shared(this.ipLists, record.allowedIps, compileIpAllowList),
      origins:
        record.allowedOrigins &&
        this.shared(this.originLists, record.allowedOrigins, compileOriginAllowList),
      expiresAtMs: expiry === null ? Number.POSITIVE_INFINITY : Date.parse(expiry),
      expiresAtIso: expiry === null ? null : new Date(expiry).toISOString(),
    };
  }

  private string(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  private list(values: readonly string[]): readonly string[] {
    const id = values.join('\n');
    const known = this.lists.get(id);
    if (known) return known;
    const list = Object.freeze(values.map((v) => this.string(v)));
    this.lists.set(id, list);
    return list;
  }

  private shared<T>(
    cache: Map<string, T>,
    values: readonly string[],
    make: (v: readonly string[]) => T,
  ): T {
    const id = values.join('\n');
    let made = cache.get(id);
    if (made === undefined) {
      made = make(values);
      cache.set(id, made);
    }
    return made;
  }
}
