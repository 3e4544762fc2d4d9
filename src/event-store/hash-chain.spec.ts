import { createHash } from 'node:crypto';
import type { NewEvent, RecordedEvent } from './event-store.port';
import {
  computeEventHash,
  GENESIS_HASH,
  chainEvents,
  verifyStreamChain,
  type UnchainedEvent,
} from './hash-chain';

const STREAM = 'apikey-5f0c2a8e-1d7b-4c1e-9a55-2b7d9e0f4a11';

function draft(n: number): UnchainedEvent {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    type: 'ApiKeyRenamed',
    data: { name: `key ${n}` },
    metadata: {
      schemaVersion: 1,
      occurredAt: `2026-01-01T00:00:0${n}.000Z`,
      actor: { type: 'root-key', id: 'root-1' },
      requestId: `req-${n}`,
    },
  };
}

/** What a store hands back after appending `events` to a new stream. */
function recorded(events: readonly NewEvent[], stream = STREAM): RecordedEvent[] {
  return events.map((event, i) => ({
    ...event,
    stream,
    revision: BigInt(i),
    position: { commit: BigInt(100 + i), prepare: BigInt(100 + i) },
  }));
}

const chainOfThree = (): RecordedEvent[] =>
  recorded(chainEvents(STREAM, undefined, GENESIS_HASH, [draft(1), draft(2), draft(3)]));

describe('audit hash chain', () => {
  describe('computeEventHash', () => {
    const metadata = {
      schemaVersion: 1,
      occurredAt: '2026-01-01T00:00:00.000Z',
      actor: { type: 'cli' as const, id: 'admin' },
      requestId: 'req-1',
      prevHash: 'ab'.repeat(32),
    };

    it('is SHA-256 of prevHash then RFC 8785 JSON, in UTF-8 (known answer)', () => {
      const canonical =
        '{"data":{"a":1,"name":"clé ✓"},"metadata":{"actor":{"id":"admin","type":"cli"},' +
        '"occurredAt":"2026-01-01T00:00:00.000Z","prevHash":"' +
        'ab'.repeat(32) +
        '","requestId":"req-1","schemaVersion":1},"revision":7,"stream":"apikey-1","type":"ApiKeyRenamed"}';
      const expected = createHash('sha256')
        .update(Buffer.from('ab'.repeat(32) + canonical, 'utf8'))
        .digest('hex');
      const data = { name: 'clé ✓', a: 1 };
      expect(computeEventHash('apikey-1', 7n, 'ApiKeyRenamed', data, metadata)).toBe(expected);
    });

    it('ignores optional fields set to undefined, and a hash property in the metadata', () => {
      const loose = { ...metadata, ip: undefined, userAgent: undefined, hash: 'f'.repeat(64) };
      expect(computeEventHash('s', 0n, 't', {}, loose)).toBe(
        computeEventHash('s', 0n, 't', {}, metadata),
      );
    });

    it('covers optional fields when present, and the stream, revision and type', () => {
      const base = computeEventHash('s', 0n, 't', {}, metadata);
      expect(computeEventHash('s', 0n, 't', {}, { ...metadata, ip: '10.0.0.1' })).not.toBe(base);
      expect(computeEventHash('s2', 0n, 't', {}, metadata)).not.toBe(base);
      expect(computeEventHash('s', 1n, 't', {}, metadata)).not.toBe(base);
      expect(computeEventHash('s', 0n, 't2', {}, metadata)).not.toBe(base);
    });

    it('refuses revisions that are not exact JSON numbers', () => {
      expect(() => computeEventHash('s', -1n, 't', {}, metadata)).toThrow(RangeError);
      expect(() => computeEventHash('s', 2n ** 53n, 't', {}, metadata)).toThrow(RangeError);
    });
  });

  describe('chainEvents', () => {
    it('links a new stream to the genesis hash and each event to the one before', () => {
      const sealed = chainEvents(STREAM, undefined, GENESIS_HASH, [draft(1), draft(2)]);
      expect(sealed[0].metadata.prevHash).toBe('0'.repeat(64));
      expect(sealed[1].metadata.prevHash).toBe(sealed[0].metadata.hash);
      expect(sealed[0].metadata.hash).toBe(
        computeEventHash(STREAM, 0n, 'ApiKeyRenamed', draft(1).data, sealed[0].metadata),
      );
      expect(sealed.map((e) => e.id)).toEqual([draft(1).id, draft(2).id]);
    });

    it('continues an existing stream from its last revision and hash', () => {
      const [, second, third] = chainOfThree();
      const [continued] = chainEvents(STREAM, 1n, second.metadata.hash, [draft(3)]);
      expect(third).toMatchObject(continued); // including metadata.hash, which covers the rest
    });

    it('leaves undefined optional fields out of the sealed metadata', () => {
      const withUndefined = { ...draft(1), metadata: { ...draft(1).metadata, ip: undefined } };
      const [sealed] = chainEvents(STREAM, undefined, GENESIS_HASH, [withUndefined]);
      expect(Object.keys(sealed.metadata)).not.toContain('ip');
    });

    it('refuses a malformed last hash, and a new stream not starting at genesis', () => {
      expect(() => chainEvents(STREAM, 0n, 'abc', [draft(1)])).toThrow(TypeError);
      expect(() => chainEvents(STREAM, undefined, 'a'.repeat(64), [draft(1)])).toThrow(TypeError);
    });
  });

  describe('verifyStreamChain', () => {
    it('accepts an intact chain, or an empty one, and reports its last hash', () => {
      const events = chainOfThree();
      expect(verifyStreamChain(events)).toEqual({ ok: true, lastHash: events[2].metadata.hash });
      expect(verifyStreamChain([])).toEqual({ ok: true, lastHash: GENESIS_HASH });
    });

    it('detects one changed character in the data', () => {
      const events = chainOfThree();
      events[1] = { ...events[1], data: { name: 'key 3' } };
      expect(verifyStreamChain(events)).toEqual({
        ok: false,
        revision: 1n,
        reason: expect.stringContaining('hash does not match the event content'),
      });
    });

    it('detects changed metadata', () => {
      const events = chainOfThree();
      events[2] = { ...events[2], metadata: { ...events[2].metadata, ip: '10.0.0.1' } };
      expect(verifyStreamChain(events)).toMatchObject({ ok: false, revision: 2n });
    });

    it('detects reordered events', () => {
      const [a, b, c] = chainOfThree();
      expect(verifyStreamChain([a, c, b])).toEqual({
        ok: false,
        revision: 1n,
        reason: expect.stringContaining('expected revision 1 but found 2'),
      });
    });

    it('detects reordered events even when their revisions were renumbered', () => {
      const [a, b, c] = chainOfThree();
      const swapped = [a, { ...c, revision: 1n }, { ...b, revision: 2n }];
      expect(verifyStreamChain(swapped)).toEqual({
        ok: false,
        revision: 1n,
        reason: expect.stringContaining("prevHash does not match the previous event's hash"),
      });
    });

    it('detects a wrong prevHash', () => {
      const events = chainOfThree();
      const tampered = { ...events[2].metadata, prevHash: 'f'.repeat(64) };
      events[2] = { ...events[2], metadata: tampered };
      expect(verifyStreamChain(events)).toEqual({
        ok: false,
        revision: 2n,
        reason: expect.stringContaining('prevHash does not match'),
      });
    });

    it('detects a first event that does not start from genesis', () => {
      const events = recorded(chainEvents(STREAM, 4n, 'c'.repeat(64), [draft(1)]));
      expect(verifyStreamChain(events)).toEqual({
        ok: false,
        revision: 0n,
        reason: expect.stringContaining('genesis'),
      });
    });

    it('detects a missing revision and names it', () => {
      const [a, b, , ...rest] = recorded(
        chainEvents(STREAM, undefined, GENESIS_HASH, [draft(1), draft(2), draft(3), draft(4)]),
      );
      expect(verifyStreamChain([a, b, ...rest])).toEqual({
        ok: false,
        revision: 2n,
        reason: expect.stringContaining('missing'),
      });
    });

    it('detects an event moved in from another stream', () => {
      const events = chainOfThree();
      events[1] = { ...events[1], stream: 'apikey-other' };
      expect(verifyStreamChain(events)).toEqual({
        ok: false,
        revision: 1n,
        reason: expect.stringContaining('apikey-other'),
      });
    });
  });
});
