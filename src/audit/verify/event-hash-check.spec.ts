import { randomBytes, randomInt } from 'node:crypto';
import type { JsonObject, JsonValue, RecordedEvent } from '../../event-store/event-store.port';
import { exportedEvent } from '../export/export-format';
import { GENESIS_HASH, chainEvents } from '../../event-store/hash-chain';
import { hashMatchesContent } from './event-hash-check';

const KEYS = ['name', 'Name', 'zeta', 'é', '10', '2', 'a\u0000b', '\ud83d\ude00', 'b', '_', ''];
function randomJson(depth: number): JsonValue {
  switch (randomInt(depth > 2 ? 4 : 6)) {
    case 0:
      return randomBytes(randomInt(8)).toString('latin1') + '"\\\n\u2028';
    case 1:
      return [0, -1, 1e21, 1.5e-7, 123.456, 2 ** 53 - 1][randomInt(6)];
    case 2:
      return [true, false, null][randomInt(3)];
    case 3:
      return 'plain';
    case 4:
      return Array.from({ length: randomInt(4) }, () => randomJson(depth + 1));
    default: {
      const object: JsonObject = {};
      for (let i = randomInt(5); i > 0; i--)
        object[KEYS[randomInt(KEYS.length)]] = randomJson(depth + 1);
      return object;
    }
  }
}

/** Stored, exported (keys in canonical order) and read back, as the verifier sees it. */
function exportedRoundTrip(data: JsonObject): RecordedEvent {
  const [event] = chainEvents('apikey-x', undefined, GENESIS_HASH, [
    {
      id: 'id',
      type: 'ApiKeyRenamed',
      data,
      metadata: {
        schemaVersion: 1,
        occurredAt: '2026-01-01T00:00:00.000Z',
        actor: { type: 'cli', id: 'ü' },
        requestId: 'r',
      },
    },
  ]);
  const line = JSON.parse(
    JSON.stringify(
      exportedEvent({
        ...event,
        stream: 'apikey-x',
        revision: 0n,
        position: { commit: 1n, prepare: 1n },
      }),
    ),
  );
  return {
    ...line,
    revision: BigInt(line.revision),
    position: { commit: 1n, prepare: 1n },
  } as RecordedEvent;
}

describe('hashMatchesContent (the verifier’s hash check)', () => {
  it('agrees with the RFC 8785 hash on random content, including keys JavaScript reorders', () => {
    for (let i = 0; i < 500; i++) {
      const data = { tenantId: 'acme', extra: randomJson(0) } as JsonObject;
      expect(hashMatchesContent(exportedRoundTrip(data))).toBe(true);
    }
    expect(hashMatchesContent(exportedRoundTrip({ '10': 1, '9': 2, b: { '1': [], a: 'x' } }))).toBe(
      true,
    );
  });

  it('refuses any change to the content, the stream, the revision or the chain link', () => {
    const event = exportedRoundTrip({ tenantId: 'acme', name: 'x', '10': 1 });
    expect(hashMatchesContent({ ...event, data: { ...event.data, name: 'y' } })).toBe(false);
    expect(hashMatchesContent({ ...event, stream: 'apikey-y' })).toBe(false);
    expect(hashMatchesContent({ ...event, revision: 1n })).toBe(false);
    expect(hashMatchesContent({ ...event, type: 'ApiKeyRevoked' })).toBe(false);
    expect(
      hashMatchesContent({ ...event, metadata: { ...event.metadata, prevHash: '1'.repeat(64) } }),
    ).toBe(false);
    expect(hashMatchesContent({ ...event, metadata: { ...event.metadata, ip: '10.0.0.1' } })).toBe(
      false,
    );
  });
});
