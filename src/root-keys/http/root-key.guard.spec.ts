import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RecordedEvent } from '../../event-store/event-store.port';
import { generateRootKey, type IssuedKey } from '../../shared/key-format';
import { randomSecrets } from '../../shared/secrets';
import { MemoryRootKeyDirectory } from '../read-models/memory/memory-root-key-directory';
import type { ProjectionRunner } from '../../projections/projection-runner';
import { ManualClock } from '../../shared/clock';
import { Unauthorized } from '../../shared/errors';
import type { PlatformNeutralRequest } from '../../http/http-request';
import { RootKeyGuard } from './root-key.guard';
import { PublicRoute } from '../../http/public-route';
import { RequireAbility } from './route-metadata';

class Routes {
  @RequireAbility('keys:read')
  listKeys(): void {}

  @PublicRoute()
  health(): void {}
}

let position = 0n;
function recorded(rootKeyId: string, revision: number, type: string, data: object): RecordedEvent {
  position++;
  return {
    stream: `rootkey-${rootKeyId}`,
    revision: BigInt(revision),
    position: { commit: position, prepare: position },
    id: `event-${position}`,
    type,
    data: data as RecordedEvent['data'],
    metadata: {
      schemaVersion: 1,
      occurredAt: '2026-01-01T00:00:00.000Z',
      actor: { type: 'cli', id: 'test' },
      requestId: 'test',
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
    },
  };
}

const created = (rootKeyId: string, key: IssuedKey) =>
  recorded(rootKeyId, 0, 'RootKeyCreated', {
    rootKeyId,
    name: rootKeyId,
    abilities: ['keys:*'],
    tenants: '*',
    rateLimit: null,
    keyHash: key.hash,
    hint: key.hint,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'cli:test',
  });

const revoked = (rootKeyId: string) =>
  recorded(rootKeyId, 1, 'RootKeyRevoked', {
    rootKeyId,
    reason: null,
    revokedAt: '2026-01-01T00:01:00.000Z',
  });

function contextFor(route: keyof Routes, headers: Record<string, string>): ExecutionContext {
  const request: PlatformNeutralRequest = {
    method: 'GET',
    url: '/',
    headers,
    keyledger: { requestId: 'r' },
  };
  const args = [request, {}, () => {}];
  return {
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    getArgByIndex: (index: number) => args[index],
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => args[1] }),
  } as unknown as ExecutionContext;
}

describe('RootKeyGuard', () => {
  let directory: MemoryRootKeyDirectory;
  /** Events the "store" holds that the directory has not applied yet; a catch-up applies them. */
  let pending: RecordedEvent[];
  let catchUps: number;
  let guard: RootKeyGuard;

  beforeEach(() => {
    directory = new MemoryRootKeyDirectory();
    pending = [];
    catchUps = 0;
    const projections = {
      catchUpNow: () => {
        catchUps++;
        pending.splice(0).forEach((event) => directory.apply(event));
        return Promise.resolve();
      },
    } as unknown as ProjectionRunner;
    guard = new RootKeyGuard(new Reflector(), directory, new ManualClock(), projections);
  });

  const bearer = (key: IssuedKey) => ({ authorization: `Bearer ${key.plaintext}` });

  it('answers synchronously for a key the directory holds', () => {
    const key = generateRootKey(randomSecrets);
    directory.apply(created('admin', key));
    expect(guard.canActivate(contextFor('listKeys', bearer(key)))).toBe(true);
    expect(guard.canActivate(contextFor('listKeys', bearer(key)))).toBe(true);
    expect(catchUps).toBe(0);
  });

  it('refuses a key on the first request after its revocation, though it was used before', () => {
    const key = generateRootKey(randomSecrets);
    directory.apply(created('admin', key));
    expect(guard.canActivate(contextFor('listKeys', bearer(key)))).toBe(true);
    directory.apply(revoked('admin'));
    expect(() => guard.canActivate(contextFor('listKeys', bearer(key)))).toThrow(Unauthorized);
  });

  it('catches up once for a well-formed key it does not know yet, then accepts it', async () => {
    const key = generateRootKey(randomSecrets);
    pending.push(created('new', key));
    await expect(guard.canActivate(contextFor('listKeys', bearer(key)))).resolves.toBe(true);
    expect(catchUps).toBe(1);
  });

  it('refuses a well-formed unknown key after catching up, and junk without catching up', async () => {
    await expect(
      guard.canActivate(contextFor('listKeys', bearer(generateRootKey(randomSecrets)))),
    ).rejects.toThrow(Unauthorized);
    expect(catchUps).toBe(1);
    for (const authorization of ['Bearer not-a-key', 'Basic abc', '']) {
      expect(() => guard.canActivate(contextFor('listKeys', { authorization }))).toThrow(
        Unauthorized,
      );
    }
    expect(() => guard.canActivate(contextFor('listKeys', {}))).toThrow(Unauthorized);
    expect(catchUps).toBe(1);
  });

  it('lets a public route through without credentials', () => {
    expect(guard.canActivate(contextFor('health', {}))).toBe(true);
  });
});
