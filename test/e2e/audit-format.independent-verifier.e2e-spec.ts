import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalJson,
  eventHash,
  eventHashInput,
  ExportRejected,
  keyIdOfRaw,
  merkleRoot,
  tenantDigest,
  trustedKeys,
  verifyAuditExport,
  type Accepted,
  type ExportedEvent,
  type FailureCode,
  type TrustedKeys,
} from '../audit-format/independent-verifier';
import {
  httpExport,
  joinLines,
  parseLines,
  verdict,
  verifyText,
  type Line,
} from '../support/audit-export';
import { busyExport } from '../support/audit-busy-log';
import type { TestApp } from '../support/test-app';
import { TrustedKeys as ProjectKeys } from '../../src/audit';

/**
 * docs/audit-format.md is enough to verify an export: a verifier written from it alone
 * (test/audit-format/independent-verifier.ts, node:crypto only) accepts the committed test vectors
 * and fresh exports of the app, agrees with `keyledger audit verify` on what they prove, and
 * rejects a tampered copy of each kind, naming what broke.
 */
const VECTORS = join(__dirname, '..', 'fixtures', 'audit-vectors');
const vector = (name: string) => readFileSync(join(VECTORS, name), 'utf8');

function rejection(text: string, keys: TrustedKeys): ExportRejected | 'accepted' {
  try {
    verifyAuditExport(Buffer.from(text), keys);
    return 'accepted';
  } catch (error) {
    if (error instanceof ExportRejected) return error;
    throw error;
  }
}

function accept(text: string, keys: TrustedKeys): Accepted {
  const outcome = rejection(text, keys);
  if (outcome !== 'accepted') throw outcome;
  return verifyAuditExport(Buffer.from(text), keys);
}

describe('the independent verifier is written from docs/audit-format.md and node:crypto alone', () => {
  it('imports nothing but node:crypto', () => {
    const source = readFileSync(
      join(__dirname, '..', 'audit-format', 'independent-verifier.ts'),
      'utf8',
    );
    const imports = [...source.matchAll(/(?:from|require\()\s*'([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['node:crypto']);
  });
});

describe('the committed test vectors, checked by the independent verifier', () => {
  const expected = JSON.parse(vector('expected.json')) as Line;
  const keys = trustedKeys(vector('public-keys.json'));

  it('trust the throwaway test key, by the id computed from it, from the JSON or the PEM', () => {
    expect([...keys.keys()]).toEqual([expected.keyId]);
    expect([...trustedKeys(vector('THROWAWAY-TEST-ONLY-signing-key.pub.pem')).keys()]).toEqual([
      expected.keyId,
    ]);
    const raw = Buffer.from(JSON.parse(vector('public-keys.json')).keys[0].publicKey, 'base64');
    expect(keyIdOfRaw(raw)).toBe(expected.keyId);
  });

  it('give every event hash from its documented hash input', () => {
    for (const event of expected.events) {
      expect(createHash('sha256').update(event.hashInput, 'utf8').digest('hex')).toBe(event.hash);
    }
    const exported = ['acme', 'globex'].flatMap((tenant) =>
      parseLines(vector(`${tenant}.ndjson`))
        .filter((line) => line.kind === 'event' || line.kind === 'checkpoint')
        .map((line) => line.event as ExportedEvent),
    );
    for (const event of exported) {
      const listed = expected.events.find((e: Line) => e.position === event.position.commit);
      expect(eventHashInput(event)).toBe(listed.hashInput);
      expect(eventHash(event)).toBe(listed.hash);
    }
  });

  it('give the tenant digests, both Merkle trees and the checkpoint signing inputs', () => {
    expect(tenantDigest('acme').toString('hex')).toBe(expected.tenantDigests.acme);
    expect(tenantDigest('globex').toString('hex')).toBe(expected.tenantDigests.globex);
    expect(tenantDigest(null).toString('hex')).toBe(expected.tenantDigests['(no tenant)']);
    const hashAt = (position: string) =>
      expected.events.find((e: Line) => e.position === position) as Line;
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
    const checkpointLines = parseLines(vector('acme.ndjson')).filter(
      (l) => l.kind === 'checkpoint',
    );
    expect(expected.checkpoints).toHaveLength(3);
    for (const [i, checkpoint] of (expected.checkpoints as Line[]).entries()) {
      const leaves = (checkpoint.leafPositions as string[]).map((p) =>
        sha(Buffer.from([0]), Buffer.from(hashAt(p).hash, 'hex')),
      );
      expect(leaves.map((l) => l.toString('hex'))).toEqual(checkpoint.merkleLeafHashes);
      expect(merkleRoot(leaves).toString('hex')).toBe(checkpoint.merkleRoot);

      const sorted = (checkpoint.leafPositions as string[])
        .map((p) => ({
          p: BigInt(p),
          digest: tenantDigest(hashAt(p).tenant),
          hash: hashAt(p).hash,
        }))
        .sort((a, b) => Buffer.compare(a.digest, b.digest) || (a.p < b.p ? -1 : 1));
      const tenantLeaves = sorted.map((l) =>
        sha(Buffer.from([0]), l.digest, Buffer.from(l.hash, 'hex')),
      );
      expect(tenantLeaves.map((l) => l.toString('hex'))).toEqual(
        checkpoint.tenantLeaves.map((l: Line) => l.leafHash as string),
      );
      expect(merkleRoot(tenantLeaves).toString('hex')).toBe(checkpoint.tenantRoot);

      const data = { ...checkpointLines[i].event.data, statement: 'keyledger-checkpoint/1' };
      delete data.signature;
      expect(canonicalJson(data)).toBe(checkpoint.signingInput);
      expect(hashAt(checkpoint.position).hash).toBe(checkpoint.checkpointEventHash);
    }
  });

  it.each(['acme', 'globex'])('accept the %s export, with its trailer as documented', (tenant) => {
    const text = vector(`${tenant}.ndjson`);
    const result = accept(text, keys);
    const events = parseLines(text).filter((l) => l.kind === 'event');
    expect(result).toMatchObject({
      tenant,
      events: events.length,
      unsealedEvents: events.filter((l) => l.proof === null).length,
      checkpoints: 3,
      completeCheckpoints: 3,
    });
    expect(result.checkpointHashes).toEqual(
      (expected.checkpoints as Line[]).map((c) => c.checkpointEventHash as string),
    );
    const body = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1);
    const trailer = expected.exports[tenant];
    expect(Buffer.byteLength(body)).toBe(trailer.bytesBeforeTrailer);
    expect(createHash('sha256').update(body).digest('hex')).toBe(trailer.sha256);
    const line = parseLines(text).at(-1)!;
    expect(
      canonicalJson({
        checkpoints: line.checkpoints,
        events: line.events,
        keyId: line.keyId,
        sha256: line.sha256,
        statement: 'keyledger-export/1',
        tenant,
        unsealedEvents: line.unsealedEvents,
      }),
    ).toBe(trailer.signingInput);
    expect(line.signature).toBe(trailer.signature);
  });
});

/** A tampered copy, and what the independent verifier must say about it. */
interface Tamper {
  readonly name: string;
  readonly code: FailureCode;
  readonly reason: RegExp;
  /** Returns the tampered text, or the text and other trusted keys. */
  readonly apply: (lines: Line[], keysText: string) => string | { text: string; keys: string };
}

const forger = generateKeyPairSync('ed25519');
const forgerRaw = Buffer.from(forger.publicKey.export({ format: 'jwk' }).x!, 'base64url');
const forgerKeys = JSON.stringify({ keys: [{ publicKey: forgerRaw.toString('base64') }] });
const forgedSignature = (message: string) =>
  sign(null, Buffer.from(message, 'utf8'), forger.privateKey).toString('base64');

const isEvent = (l: Line) => l.kind === 'event';
const sealed = (l: Line) => isEvent(l) && l.proof !== null;
const unsealed = (l: Line) => isEvent(l) && l.proof === null;
const find = (lines: Line[], predicate: (l: Line, i: number) => boolean) => {
  const i = lines.findIndex(predicate);
  if (i < 0) throw new Error('no line to tamper with');
  return i;
};
/** The first sealed event whose stream continues later in the export. */
const midStream = (lines: Line[], also: (l: Line) => boolean = () => true) =>
  find(
    lines,
    (l, i) =>
      sealed(l) &&
      also(l) &&
      lines.slice(i + 1).some((m) => isEvent(m) && m.event.stream === l.event.stream),
  );
/** The first sealed event that is the last of its stream in the export. */
const lastOfStream = (lines: Line[]) =>
  find(
    lines,
    (l, j) => sealed(l) && !lines.slice(j + 1).some((m) => m.event?.stream === l.event.stream),
  );
/** Re-hashes a stream from line i on, as a forger who rewrites an event would. */
function rehashFrom(lines: Line[], i: number): void {
  let prevHash: string | undefined;
  for (const line of lines.slice(i)) {
    if (line.event?.stream !== lines[i].event.stream) continue;
    if (prevHash) line.event.metadata.prevHash = prevHash;
    line.event.metadata.hash = eventHash(line.event);
    prevHash = line.event.metadata.hash;
  }
}
const without = (lines: Line[], ...drop: number[]) => lines.filter((_l, j) => !drop.includes(j));
const checkpointAt = (lines: Line[], sequence: number) =>
  find(lines, (l) => l.kind === 'checkpoint' && l.event.data.sequence === sequence);

const TAMPERS: readonly Tamper[] = [
  {
    name: 'changed data',
    code: 'event-hash',
    reason: /its hash does not match its content/,
    apply: (lines) => {
      lines[find(lines, sealed)].event.data.name = 'mallory';
      return joinLines(lines);
    },
  },
  {
    name: 'changed data, the stream re-hashed by the forger',
    code: 'inclusion',
    reason: /inclusion proof does not lead to checkpoint \d+'s Merkle root/,
    apply: (lines) => {
      const i = midStream(lines);
      lines[i].event.data.name = 'mallory';
      rehashFrom(lines, i);
      return joinLines(lines);
    },
  },
  {
    name: 'changed metadata',
    code: 'event-hash',
    reason: /its hash does not match its content/,
    apply: (lines) => {
      lines[find(lines, sealed)].event.metadata.actor.id = 'someone-else';
      return joinLines(lines);
    },
  },
  {
    name: 'changed metadata of the last unsealed event, re-hashed',
    code: 'trailer',
    reason: /SHA-256 of the bytes before the trailer does not match/,
    apply: (lines) => {
      const i = lines.length - 2;
      lines[i].event.metadata.ip = '198.51.100.1';
      rehashFrom(lines, i);
      return joinLines(lines);
    },
  },
  {
    name: 'a changed checkpoint root',
    code: 'event-hash',
    reason: /the checkpoint event .*its hash does not match/,
    apply: (lines) => {
      const data = lines[checkpointAt(lines, 1)].event.data;
      data.merkleRoot = `${data.merkleRoot[0] === 'a' ? 'b' : 'a'}${data.merkleRoot.slice(1)}`;
      return joinLines(lines);
    },
  },
  {
    name: 'reordered lines',
    code: 'order',
    reason: /events out of order/,
    apply: (lines) => {
      const i = find(lines, (l, j) => sealed(l) && sealed(lines[j + 1]));
      [lines[i], lines[i + 1]] = [lines[i + 1], lines[i]];
      return joinLines(lines);
    },
  },
  {
    name: 'a duplicated event',
    code: 'order',
    reason: /duplicated/,
    apply: (lines) => {
      const i = find(lines, sealed);
      return joinLines([...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)]);
    },
  },
  {
    name: 'a dropped event inside a stream',
    code: 'chain',
    reason: /@\d+: revision \d+ is missing/,
    apply: (lines) => {
      // An event whose stream goes on in the same checkpoint: the gap shows before the slice.
      const i = find(lines, (l, j) => {
        const next = lines.slice(j + 1).find((m) => m.event?.stream === l.event?.stream);
        return (
          sealed(l) &&
          l.event.revision !== '0' &&
          next?.proof?.checkpoint.sequence === l.proof.checkpoint.sequence
        );
      });
      return joinLines(without(lines, i));
    },
  },
  {
    name: 'a dropped last event of a sealed stream',
    code: 'completeness',
    reason: /the tenant slice counts \d+ events, \d+ are listed/,
    apply: (lines) => {
      return joinLines(without(lines, lastOfStream(lines)));
    },
  },
  {
    name: 'a dropped last event of a sealed stream, with the slice count adjusted',
    code: 'completeness',
    reason:
      /(does not frame the tenant's run|do not give its signed tenant root: an event is missing)/,
    apply: (lines) => {
      const i = lastOfStream(lines);
      const sequence = lines[i].proof.checkpoint.sequence as number;
      lines[checkpointAt(lines, sequence)].tenantSlice.count -= 1;
      return joinLines(without(lines, i));
    },
  },
  {
    name: 'a dropped unsealed event',
    code: 'trailer',
    reason: /the trailer counts \d+ events, the file holds/,
    apply: (lines) => joinLines(without(lines, lines.length - 2)),
  },
  {
    name: 'a dropped checkpoint line',
    code: 'inclusion',
    reason: /its proof is for checkpoint 1, not for checkpoint 0 it is listed under/,
    apply: (lines) => joinLines(without(lines, checkpointAt(lines, 1))),
  },
  {
    name: 'a dropped checkpoint with its events',
    code: 'checkpoint-chain',
    reason: /checkpoint 2 comes where checkpoint 1 belongs/,
    apply: (lines) => {
      const [from, to] = [checkpointAt(lines, 1), checkpointAt(lines, 2)];
      return joinLines([...lines.slice(0, from), ...lines.slice(to)]);
    },
  },
  {
    name: 'a forged checkpoint signature',
    code: 'signature',
    reason: /the signature of checkpoint 1 does not verify/,
    apply: (lines) => {
      const line = lines[checkpointAt(lines, 1)];
      const data = { ...line.event.data, statement: 'keyledger-checkpoint/1' };
      delete data.signature;
      line.event.data.signature = forgedSignature(canonicalJson(data));
      line.event.metadata.hash = eventHash(line.event);
      return joinLines(lines);
    },
  },
  {
    name: 'a forged trailer signature',
    code: 'signature',
    reason: /the signature of the trailer does not verify/,
    apply: (lines) => {
      const trailer = lines.at(-1)!;
      trailer.signature = forgedSignature(JSON.stringify(trailer));
      return joinLines(lines);
    },
  },
  {
    name: 'the wrong public key',
    code: 'untrusted-key',
    reason: /checkpoint 0 is signed by key [0-9a-f]{16}, which is not trusted/,
    apply: (lines) => ({ text: joinLines(lines), keys: forgerKeys }),
  },
  {
    name: "another key labelled with the server's key id",
    code: 'untrusted-key',
    reason: /which is not trusted/,
    apply: (lines, keysText) => {
      const keyId = JSON.parse(keysText).keys[0].keyId as string;
      const doc = { keys: [{ keyId, publicKey: forgerRaw.toString('base64') }] };
      return { text: joinLines(lines), keys: JSON.stringify(doc) };
    },
  },
  {
    name: 'a proof for another checkpoint',
    code: 'inclusion',
    reason: /its proof is for checkpoint 0, not for checkpoint 1/,
    apply: (lines) => {
      const zero = find(lines, (l) => sealed(l) && l.proof.checkpoint.sequence === 0);
      const one = find(lines, (l) => sealed(l) && l.proof.checkpoint.sequence === 1);
      lines[one].proof = lines[zero].proof;
      return joinLines(lines);
    },
  },
  {
    name: "another checkpoint's proof, relabelled",
    code: 'inclusion',
    reason: /(does not lead to checkpoint 1's Merkle root|proof is for a tree of)/,
    apply: (lines) => {
      const zero = find(lines, (l) => sealed(l) && l.proof.checkpoint.sequence === 0);
      const one = find(lines, (l) => sealed(l) && l.proof.checkpoint.sequence === 1);
      lines[one].proof = { ...lines[zero].proof, checkpoint: lines[one].proof.checkpoint };
      return joinLines(lines);
    },
  },
  {
    name: 'an edited tenant slice',
    code: 'completeness',
    reason: /the tenant slice counts \d+ events, \d+ are listed/,
    apply: (lines) => {
      lines[checkpointAt(lines, 0)].tenantSlice.count += 1;
      return joinLines(lines);
    },
  },
  {
    name: 'edited trailer counts',
    code: 'trailer',
    reason: /the trailer counts \d+ unsealedEvents, the file holds/,
    apply: (lines) => {
      lines.at(-1)!.unsealedEvents += 1;
      return joinLines(lines);
    },
  },
  {
    name: 'an edited trailer digest',
    code: 'trailer',
    reason: /SHA-256 of the bytes before the trailer does not match/,
    apply: (lines) => {
      lines.at(-1)!.sha256 = '0'.repeat(64);
      return joinLines(lines);
    },
  },
  {
    name: 'an edited header',
    code: 'trailer',
    reason: /SHA-256 of the bytes before the trailer does not match/,
    apply: (lines) => {
      lines[0].exportedAt = '2020-01-01T00:00:00.000Z';
      return joinLines(lines);
    },
  },
  {
    name: "another tenant's event slipped in",
    code: 'tenant',
    reason: /does not belong to tenant acme/,
    apply: (lines) => {
      const i = find(lines, unsealed);
      const intruder = structuredClone(lines[i]);
      intruder.event.data.tenantId = 'globex';
      intruder.event.metadata.hash = eventHash(intruder.event);
      return joinLines([...lines.slice(0, -1), intruder, lines.at(-1)!]);
    },
  },
  {
    name: 'a truncated file',
    code: 'file',
    reason: /truncated/,
    apply: (lines) => joinLines(lines).slice(0, -30),
  },
];

describe('exports, clean and tampered: the independent verifier agrees with audit verify', () => {
  let t: TestApp;
  let fresh: { text: string; keysText: string };
  const sources: Record<string, () => { text: string; keysText: string }> = {
    'the committed vectors': () => ({
      text: vector('acme.ndjson'),
      keysText: vector('public-keys.json'),
    }),
    'a fresh export of the app': () => fresh,
  };

  beforeAll(async () => {
    const busy = await busyExport();
    t = busy.t;
    const res = await t.anonymous().get('/v1/audit/public-keys');
    fresh = { text: busy.text, keysText: res.text };
  });
  afterAll(() => t.close());

  it('accepts fresh exports of every kind, proving what audit verify proves', async () => {
    const keys = trustedKeys(fresh.keysText);
    const projectKeys = ProjectKeys.parse(fresh.keysText);
    const lines = parseLines(fresh.text);
    const spans = lines.filter((l) => l.kind === 'checkpoint').map((l) => l.event.data as Line);
    const k = spans.findIndex((c, i) => i > 0 && c.lastOccurredAt > spans[i - 1].lastOccurredAt);
    const from = new Date(Date.parse(spans[k - 1].lastOccurredAt) + 1).toISOString();
    const keyId = lines.find((l) => isEvent(l) && l.event.type === 'ApiKeyRenamed')!.event.data
      .keyId as string;
    const exports = {
      acme: fresh.text,
      globex: await httpExport(t, 'globex'),
      windowed: await httpExport(t, 'acme', `?from=${from}`),
      'by type': await httpExport(t, 'acme', '?type=ApiKeyRenamed'),
      'by key': await httpExport(t, 'acme', `?keyId=${keyId}`),
    };
    for (const [name, text] of Object.entries(exports)) {
      const mine = accept(text, keys);
      const outcome = await verifyText(text, projectKeys);
      if (!outcome.ok) throw outcome.failure;
      expect({ name, ...pick(mine) }).toEqual({
        name,
        tenant: outcome.report.tenant,
        events: outcome.report.events,
        sealedEvents: outcome.report.sealedEvents,
        unsealedEvents: outcome.report.unsealedEvents,
        checkpoints: outcome.report.checkpoints,
        completeCheckpoints: outcome.report.completeCheckpoints,
      });
    }
    expect(accept(exports.acme, keys).completeCheckpoints).toBe(spans.length);
    expect(accept(exports['by type'], keys).completeCheckpoints).toBe(0);
  });

  it.each(Object.keys(sources))('tamper tests start from a clean copy of %s', (source) => {
    const { text, keysText } = sources[source]();
    expect(joinLines(parseLines(text))).toBe(text);
    expect(rejection(text, trustedKeys(keysText))).toBe('accepted');
  });

  describe.each(Object.keys(sources))('%s', (source) => {
    it.each(TAMPERS.map((tamper) => [tamper.name, tamper] as const))(
      'rejects %s, naming what broke',
      async (_name, tamper) => {
        const { text, keysText } = sources[source]();
        const applied = tamper.apply(parseLines(text), keysText);
        const tampered = typeof applied === 'string' ? applied : applied.text;
        const keys = typeof applied === 'string' ? keysText : applied.keys;
        const outcome = rejection(tampered, trustedKeys(keys));
        expect(outcome).not.toBe('accepted');
        const { code, reason } = outcome as ExportRejected;
        expect({ code, reason }).toEqual({
          code: tamper.code,
          reason: expect.stringMatching(tamper.reason),
        });
        // keyledger audit verify rejects it too (its own words).
        expect(await verdict(tampered, ProjectKeys.parse(keys))).not.toBe('ok');
      },
    );
  });
});

function pick(result: Accepted) {
  const { tenant, events, sealedEvents, unsealedEvents, checkpoints, completeCheckpoints } = result;
  return { tenant, events, sealedEvents, unsealedEvents, checkpoints, completeCheckpoints };
}
