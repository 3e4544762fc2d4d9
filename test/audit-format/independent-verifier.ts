import { createHash, createPublicKey, verify as ed25519Verify, type KeyObject } from 'node:crypto';

/*
 * A second verifier of Keyledger audit exports, written from docs/audit-format.md alone, to check
 * that the page is enough to write one. It imports node:crypto and nothing else: no Keyledger
 * code, no JSON canonicalisation library. Section numbers (§) refer to that page. If this file
 * and the code disagree, the page is what has to be made precise, not this file.
 */

/** What broke, by name: one code per kind of failure. */
export type FailureCode =
  | 'file' // not NDJSON, not an export, truncated, wrong format, bad field
  | 'event-hash' // §3.2: an event's hash does not match its content
  | 'tenant' // §6.1 / filter: an event that does not belong in this export
  | 'order' // §8.3: duplicated or reordered event lines
  | 'chain' // §3.3: a stream's hash chain is broken or has a gap
  | 'checkpoint-chain' // §7.3: sequence, link or range of a checkpoint
  | 'signature' // §7.2 / §8.4: a signature does not verify
  | 'untrusted-key' // §7.4: signed by a key that is not trusted
  | 'inclusion' // §5.1: an inclusion proof fails or names another checkpoint
  | 'unsealed' // §8.3: an unsealed event where a sealed one belongs, or the reverse
  | 'time' // §9: a sealed event outside its checkpoint's time span
  | 'completeness' // §6.3: a tenant slice does not prove the tenant's events complete
  | 'trailer'; // §8.4: counts or SHA-256 of the trailer

export class ExportRejected extends Error {
  constructor(
    readonly line: number,
    readonly code: FailureCode,
    readonly reason: string,
  ) {
    super(`line ${line}: [${code}] ${reason}`);
  }
}

export interface Accepted {
  readonly tenant: string;
  readonly events: number;
  readonly sealedEvents: number;
  readonly unsealedEvents: number;
  readonly checkpoints: number;
  /** Checkpoints whose tenant slice proved the tenant's events complete. */
  readonly completeCheckpoints: number;
  /** Every event hash and checkpoint root computed on the way, for comparison with vectors. */
  readonly eventHashes: ReadonlyMap<string, string>;
  readonly checkpointHashes: readonly string[];
}

// ---------------------------------------------------------------- §7.4 trusted keys

/** Trusted Ed25519 public keys by the id computed from each key (never by a label). */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

export function keyIdOfRaw(raw: Buffer): string {
  return sha256(raw).toString('hex').slice(0, 16);
}

/** Reads `GET /v1/audit/public-keys` JSON (raw keys, base64) or SPKI PEM text. */
export function trustedKeys(text: string): TrustedKeys {
  const keys = new Map<string, KeyObject>();
  const addRaw = (raw: Buffer) => {
    if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    keys.set(keyIdOfRaw(raw), key);
  };
  if (text.trimStart().startsWith('{')) {
    const doc = JSON.parse(text) as { keys: { publicKey: string }[] };
    for (const entry of doc.keys) addRaw(Buffer.from(entry.publicKey, 'base64'));
  } else {
    for (const pem of text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ??
      []) {
      const jwk = createPublicKey(pem).export({ format: 'jwk' });
      if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not Ed25519');
      addRaw(Buffer.from(jwk.x, 'base64url'));
    }
  }
  return keys;
}

// ---------------------------------------------------------------- §4 canonical JSON

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** UTF-16 code unit order: what JavaScript's `<` on strings compares. */
function byCodeUnits(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const SHORT_ESCAPES: Record<number, string> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

function canonicalString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short) out += short;
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A well-formed pair is written as itself; a lone surrogate as \udxxx (§4).
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += `\\u${c.toString(16)}`;
    } else out += s[i];
  }
  return `${out}"`;
}

export function canonicalJson(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('no JSON form for a non-finite number');
    return Object.is(value, -0) ? '0' : String(value); // ECMAScript Number::toString
  }
  if (typeof value === 'string') return canonicalString(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort(byCodeUnits);
  return `{${keys.map((k) => `${canonicalString(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

// ---------------------------------------------------------------- hashing, §3.2, §5, §6

const sha256 = (...parts: (Buffer | string)[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const GENESIS = '0'.repeat(64);
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);
const leaf = (...data: Buffer[]) => sha256(LEAF, ...data);
const node = (l: Buffer, r: Buffer) => sha256(NODE, l, r);
const hexBytes = (h: string) => Buffer.from(h, 'hex');

export interface ExportedEvent {
  id: string;
  stream: string;
  revision: string;
  position: { commit: string; prepare: string };
  type: string;
  data: { [key: string]: Json };
  metadata: { [key: string]: Json } & { prevHash: string; hash: string; occurredAt: string };
}

/** §3.2: the hash input (prevHash text ‖ canonical JSON) and the hash, in hex. */
export function eventHashInput(e: ExportedEvent): string {
  const metadata: { [key: string]: Json } = { ...e.metadata };
  delete metadata.hash;
  const body = {
    stream: e.stream,
    revision: Number(e.revision),
    type: e.type,
    data: e.data,
    metadata,
  };
  return e.metadata.prevHash + canonicalJson(body);
}

export const eventHash = (e: ExportedEvent): string =>
  sha256(Buffer.from(eventHashInput(e), 'utf8')).toString('hex');

/** §5: the largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** §5: MTH over leaf hashes (leaf() already applied). */
export function merkleRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return node(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/** §5.1: the root an audit path leads to, or null if the path has the wrong length. */
function rootFromPath(
  leafHash: Buffer,
  index: number,
  size: number,
  path: Buffer[],
): Buffer | null {
  if (index < 0 || index >= size) return null;
  let h = leafHash;
  let next = 0;
  for (let i = index, n = size; n > 1; i = Math.floor(i / 2), n = Math.ceil(n / 2)) {
    if ((i ^ 1) >= n) continue;
    if (next >= path.length) return null;
    const s = path[next++];
    h = i % 2 === 1 ? node(s, h) : node(h, s);
  }
  return next === path.length ? h : null;
}

/** §6.4: the root of a tree of n leaves whose leaves [a, a + run.length) are `run`. */
function rootFromRange(n: number, a: number, run: Buffer[], proof: Buffer[]): Buffer | null {
  const b = a + run.length;
  if (run.length === 0 || a < 0 || b > n) return null;
  let next = 0;
  const walk = (from: number, to: number): Buffer | null => {
    if (to <= a || from >= b) return next < proof.length ? proof[next++] : null;
    if (to - from === 1) return run[from - a];
    const k = split(to - from);
    const left = walk(from, from + k);
    if (!left) return null;
    const right = walk(from + k, to);
    return right && node(left, right);
  };
  const root = walk(0, n);
  return root && next === proof.length ? root : null;
}

/** §6.2 */
export const tenantDigest = (tenant: string | null): Buffer =>
  sha256(Buffer.from(`keyledger-tenant:${tenant ?? ''}`, 'utf8'));

/** §6.1 */
export function tenantOf(e: { stream: string; data: unknown }): string | null {
  const data = e.data as { tenantId?: unknown } | null;
  const id = typeof data === 'object' && data !== null ? data.tenantId : undefined;
  if (typeof id !== 'string') return null;
  if (e.stream.startsWith('tenant-')) return e.stream === `tenant-${id}` ? id : null;
  return e.stream.startsWith('apikey-') ? id : null;
}

// ---------------------------------------------------------------- positions, §2.3

const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;
const HEX64 = /^[0-9a-f]{64}$/;
type Position = { commit: bigint; prepare: bigint };

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------- the verifier, §9

interface Checkpoint {
  sequence: number;
  hash: string;
  eventPosition: { commit: string; prepare: string };
  after: Position | null;
  afterJson: { commit: string; prepare: string } | null;
  last: Position;
  lastJson: { commit: string; prepare: string };
  treeSize: number;
  merkleRoot: Buffer;
  tenantRoot: Buffer;
  firstOccurredAt: number;
  lastOccurredAt: number;
  slice: Slice | null;
  line: number;
  listed: Buffer[]; // tenant leaves of the events listed under it
  lastLeafIndex: number;
}

interface Neighbour {
  tenantDigest: string;
  eventHash: string;
}
interface Slice {
  start: number;
  count: number;
  before: Neighbour | null;
  after: Neighbour | null;
  proof: string[];
}

/** Verifies an export (its raw bytes) against trusted keys; throws ExportRejected at the first failure. */
export function verifyAuditExport(bytes: Buffer, keys: TrustedKeys): Accepted {
  let lineNo = 0;
  const fail = (code: FailureCode, reason: string): never => {
    throw new ExportRejected(lineNo, code, reason);
  };
  const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  const count = (v: unknown, what: string): number =>
    isCount(v) ? v : fail('file', `${what} is not a count`);
  const hash = (v: unknown, what: string): string =>
    typeof v === 'string' && HEX64.test(v) ? v : fail('file', `${what} is not a hash`);
  const position = (v: unknown, what: string): Position => {
    const p = v as { commit?: unknown; prepare?: unknown } | null;
    if (typeof p !== 'object' || p === null) return fail('file', `${what} is not a position`);
    if (typeof p.commit !== 'string' || !DECIMAL.test(p.commit))
      return fail('file', `${what} is not a position`);
    if (typeof p.prepare !== 'string' || !DECIMAL.test(p.prepare))
      return fail('file', `${what} is not a position`);
    return { commit: BigInt(p.commit), prepare: BigInt(p.prepare) };
  };
  const time = (v: unknown, what: string): number => {
    const ms = typeof v === 'string' ? Date.parse(v) : NaN;
    return Number.isNaN(ms) ? fail('file', `${what} is not a time`) : ms;
  };
  const checkSignature = (keyId: unknown, message: string, signature: unknown, what: string) => {
    const key = typeof keyId === 'string' ? keys.get(keyId) : undefined;
    if (!key)
      fail('untrusted-key', `${what} is signed by key ${String(keyId)}, which is not trusted`);
    const sig = typeof signature === 'string' ? Buffer.from(signature, 'base64') : Buffer.alloc(0);
    if (sig.length !== 64 || !ed25519Verify(null, Buffer.from(message, 'utf8'), key!, sig)) {
      fail('signature', `the signature of ${what} does not verify with key ${String(keyId)}`);
    }
  };
  const readEvent = (v: unknown, what: string): ExportedEvent => {
    const e = v as ExportedEvent | null;
    if (typeof e !== 'object' || e === null) return fail('file', `${what} is not an object`);
    for (const f of ['id', 'stream', 'type'] as const)
      if (typeof e[f] !== 'string') fail('file', `${what} has no ${f}`);
    if (typeof e.revision !== 'string' || !DECIMAL.test(e.revision))
      fail('file', `${what} has no revision`);
    position(e.position, `${what}'s position`);
    if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data))
      fail('file', `${what} has no data object`);
    const m = e.metadata;
    if (typeof m !== 'object' || m === null || Array.isArray(m))
      fail('file', `${what} has no metadata object`);
    hash(m.prevHash, `${what}'s prevHash`);
    hash(m.hash, `${what}'s hash`);
    time(m.occurredAt, `${what}'s occurredAt`);
    if (eventHash(e) !== m.hash)
      fail('event-hash', `${what} ${e.stream}@${e.revision}: its hash does not match its content`);
    return e;
  };

  // §9 step 1: the file and its lines.
  if (bytes.length === 0) fail('file', 'the file is empty');
  if (bytes[bytes.length - 1] !== 0x0a) {
    lineNo = bytes.toString('utf8').split('\n').length;
    fail('file', 'the last line has no line feed: the file is truncated');
  }
  const raw: Buffer[] = [];
  for (let start = 0; start < bytes.length;) {
    const end = bytes.indexOf(0x0a, start);
    raw.push(bytes.subarray(start, end));
    start = end + 1;
  }

  const running = createHash('sha256');
  const eventHashes = new Map<string, string>();
  const checkpointHashes: string[] = [];
  const heads = new Map<string, { revision: bigint; hash: string }>();
  let header: {
    tenant: string;
    digest: Buffer;
    fromWindow: boolean;
    keyId: string | null;
    type: string | null;
  } | null = null;
  let previous: Checkpoint | null = null;
  let section: Checkpoint | null = null;
  let lastEventPosition: Position | null = null;
  let inUnsealed = false;
  let trailerSeen = false;
  let events = 0;
  let sealed = 0;
  let unsealed = 0;
  let checkpoints = 0;
  let complete = 0;

  // §9 step 5 / §6.3
  const closeSection = () => {
    const c = section;
    section = null;
    if (!c || !c.slice) return;
    const s = c.slice;
    const own = header!.digest.toString('hex');
    const at = lineNo;
    lineNo = c.line;
    if (s.count !== c.listed.length)
      fail(
        'completeness',
        `checkpoint ${c.sequence}: the tenant slice counts ${s.count} events, ${c.listed.length} are listed`,
      );
    const framed =
      s.start + s.count <= c.treeSize &&
      (s.before !== null) === s.start > 0 &&
      (s.after !== null) === s.start + s.count < c.treeSize &&
      (s.before === null || s.before.tenantDigest < own) &&
      (s.after === null || s.after.tenantDigest > own);
    if (!framed)
      fail(
        'completeness',
        `checkpoint ${c.sequence}: the tenant slice does not frame the tenant's run`,
      );
    const neighbour = (n: Neighbour) => leaf(hexBytes(n.tenantDigest), hexBytes(n.eventHash));
    const run = [
      ...(s.before ? [neighbour(s.before)] : []),
      ...c.listed,
      ...(s.after ? [neighbour(s.after)] : []),
    ];
    const a = s.before ? s.start - 1 : s.start;
    const root = rootFromRange(c.treeSize, a, run, s.proof.map(hexBytes));
    if (!root || !root.equals(c.tenantRoot))
      fail(
        'completeness',
        `checkpoint ${c.sequence}: the tenant's listed events do not give its signed tenant root: an event is missing, added or altered`,
      );
    complete++;
    lineNo = at;
  };

  for (const line of raw) {
    lineNo++;
    if (trailerSeen) fail('file', 'a line follows the trailer');
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      fail('file', 'not valid JSON');
    }
    const o = value as { [key: string]: unknown } | null;
    if (typeof o !== 'object' || o === null || Array.isArray(o))
      fail('file', 'the line is not a JSON object');

    if (header === null) {
      if (o!.kind !== 'header') fail('file', 'the first line is not the header');
      if (o!.format !== 'keyledger-audit-export/1')
        fail('file', `unsupported format ${String(o!.format)}`);
      if (typeof o!.tenant !== 'string') fail('file', 'the header has no tenant');
      const window = o!.window as { from?: unknown } | null;
      const filter = o!.filter as { keyId?: unknown; type?: unknown } | null;
      if (
        typeof window !== 'object' ||
        window === null ||
        typeof filter !== 'object' ||
        filter === null
      )
        fail('file', 'the header has no window or filter');
      header = {
        tenant: o!.tenant as string,
        digest: tenantDigest(o!.tenant as string),
        fromWindow: window!.from !== null && window!.from !== undefined,
        keyId: typeof filter!.keyId === 'string' ? filter!.keyId : null,
        type: typeof filter!.type === 'string' ? filter!.type : null,
      };
    } else if (o!.kind === 'checkpoint') {
      // §9 step 3, §7
      if (inUnsealed) fail('unsealed', 'a checkpoint follows the unsealed events');
      closeSection();
      const e = readEvent(o!.event, 'the checkpoint event');
      if (e.stream !== 'audit-checkpoints' || e.type !== 'AuditCheckpointSealed')
        fail('checkpoint-chain', `a ${e.type} event of ${e.stream} is not a checkpoint`);
      const d = e.data;
      const sequence = count(d.sequence, 'sequence');
      const expected: number = previous ? previous.sequence + 1 : 0;
      if (String(sequence) !== e.revision)
        fail(
          'checkpoint-chain',
          `checkpoint sequence ${sequence} is not its revision ${e.revision}`,
        );
      if (sequence !== expected)
        fail(
          'checkpoint-chain',
          `checkpoint ${sequence} comes where checkpoint ${expected} belongs`,
        );
      const prevHash = previous ? previous.hash : GENESIS;
      if (e.metadata.prevHash !== prevHash || d.previousCheckpointHash !== prevHash)
        fail(
          'checkpoint-chain',
          `checkpoint ${sequence} is not linked to the hash of checkpoint ${expected - 1}`,
        );
      const range = d.range as { after?: unknown; last?: unknown } | null;
      if (typeof range !== 'object' || range === null)
        return fail('file', 'the checkpoint has no range');
      const after = range.after === null ? null : position(range.after, 'range.after');
      const last = position(range.last, 'range.last');
      const afterJson = range.after as Checkpoint['afterJson'];
      const prevLast = previous ? previous.lastJson : null;
      const sameStart =
        afterJson === null || prevLast === null
          ? afterJson === prevLast
          : afterJson.commit === prevLast.commit && afterJson.prepare === prevLast.prepare;
      if (!sameStart)
        fail(
          'checkpoint-chain',
          `checkpoint ${sequence}'s range does not start where checkpoint ${expected - 1} ended`,
        );
      const treeSize = count(d.treeSize, 'treeSize');
      if (treeSize < 1 || (after && comparePositions(last, after) <= 0))
        fail('checkpoint-chain', `checkpoint ${sequence}'s range is empty`);
      const signed: { [key: string]: Json } = { ...d, statement: 'keyledger-checkpoint/1' };
      delete signed.signature;
      checkSignature(d.keyId, canonicalJson(signed), d.signature, `checkpoint ${sequence}`);
      const slice = o!.tenantSlice as Slice | null;
      if (slice !== null) {
        if (typeof slice !== 'object') fail('file', 'the tenant slice is not an object');
        count(slice.start, 'slice.start');
        count(slice.count, 'slice.count');
        for (const n of [slice.before, slice.after]) {
          if (n === null) continue;
          hash(n?.tenantDigest, 'a neighbour digest');
          hash(n?.eventHash, 'a neighbour hash');
        }
        if (!Array.isArray(slice.proof)) fail('file', 'the tenant slice has no proof');
        slice.proof.forEach((h) => hash(h, 'a slice proof hash'));
      }
      section = previous = {
        sequence,
        hash: e.metadata.hash,
        eventPosition: e.position,
        after,
        afterJson,
        last,
        lastJson: range.last as Checkpoint['lastJson'],
        treeSize,
        merkleRoot: hexBytes(hash(d.merkleRoot, 'merkleRoot')),
        tenantRoot: hexBytes(hash(d.tenantRoot, 'tenantRoot')),
        firstOccurredAt: time(d.firstOccurredAt, 'firstOccurredAt'),
        lastOccurredAt: time(d.lastOccurredAt, 'lastOccurredAt'),
        slice,
        line: lineNo,
        listed: [],
        lastLeafIndex: -1,
      };
      checkpointHashes.push(e.metadata.hash);
      checkpoints++;
    } else if (o!.kind === 'event') {
      // §9 step 4
      const e = readEvent(o!.event, 'the event');
      const at = `${e.stream}@${e.revision}`;
      eventHashes.set(e.position.commit, e.metadata.hash);
      if (tenantOf(e) !== header.tenant)
        fail('tenant', `${at} does not belong to tenant ${header.tenant}`);
      if (header.keyId !== null && e.stream !== `apikey-${header.keyId}`)
        fail('tenant', `${at} is not of the filtered key`);
      if (header.type !== null && e.type !== header.type)
        fail('tenant', `${at} is not of the filtered type`);
      const pos = position(e.position, 'position');
      if (lastEventPosition) {
        const order = comparePositions(pos, lastEventPosition);
        if (order === 0)
          fail('order', `${at} repeats the position of the event before it: duplicated`);
        if (order < 0) fail('order', `${at} comes after a later position: events out of order`);
      }
      lastEventPosition = pos;
      const revision = BigInt(e.revision);
      const head = heads.get(e.stream);
      if (!head) {
        if (revision === 0n && e.metadata.prevHash !== GENESIS)
          fail('chain', `${at}: the first event's prevHash is not the genesis hash`);
        if (revision > 0n && !header.fromWindow && header.type === null)
          fail(
            'chain',
            `${at}: the stream starts at revision ${revision}: earlier revisions are missing`,
          );
      } else if (revision <= head.revision) {
        fail(
          'order',
          `${at} comes after revision ${head.revision} of its stream: duplicated or reordered`,
        );
      } else if (revision === head.revision + 1n) {
        if (e.metadata.prevHash !== head.hash)
          fail('chain', `${at}: its prevHash is not the hash of revision ${head.revision}`);
      } else if (header.type === null) {
        const gap =
          revision === head.revision + 2n
            ? `revision ${head.revision + 1n} is missing`
            : `revisions ${head.revision + 1n} to ${revision - 1n} are missing`;
        fail('chain', `${at}: ${gap}`);
      }
      heads.set(e.stream, { revision, hash: e.metadata.hash });

      const proof = o!.proof as {
        checkpoint: { sequence: unknown; position: { commit: string; prepare: string } };
        leafIndex: unknown;
        treeSize: unknown;
        auditPath: unknown;
      } | null;
      if (proof === null) {
        closeSection();
        inUnsealed = true;
        if (previous && comparePositions(pos, previous.last) <= 0)
          fail(
            'unsealed',
            `${at} has no proof, yet checkpoint ${previous.sequence} covers its position`,
          );
        unsealed++;
      } else {
        if (inUnsealed) fail('unsealed', `${at} has a proof, yet comes after the unsealed events`);
        const c = section;
        if (!c) return fail('inclusion', `${at} has a proof but no checkpoint precedes it`);
        if (c.slice === null && header.keyId === null && header.type === null)
          fail(
            'inclusion',
            `${at} is listed under checkpoint ${c.sequence}, which is outside the window`,
          );
        if (
          typeof proof !== 'object' ||
          typeof proof.checkpoint !== 'object' ||
          proof.checkpoint === null
        )
          fail('file', 'the proof has no checkpoint');
        const p = proof.checkpoint.position;
        if (
          proof.checkpoint.sequence !== c.sequence ||
          p?.commit !== c.eventPosition.commit ||
          p?.prepare !== c.eventPosition.prepare
        )
          fail(
            'inclusion',
            `${at}: its proof is for checkpoint ${String(proof.checkpoint.sequence)}, not for checkpoint ${c.sequence} it is listed under`,
          );
        if ((c.after && comparePositions(pos, c.after) <= 0) || comparePositions(pos, c.last) > 0)
          fail('inclusion', `${at}: its position is outside checkpoint ${c.sequence}'s range`);
        const occurred = Date.parse(e.metadata.occurredAt);
        if (occurred < c.firstOccurredAt || occurred > c.lastOccurredAt)
          fail('time', `${at} occurred outside checkpoint ${c.sequence}'s time span`);
        const leafIndex = count(proof.leafIndex, 'leafIndex');
        if (count(proof.treeSize, 'treeSize') !== c.treeSize)
          fail(
            'inclusion',
            `${at}: its proof is for a tree of ${String(proof.treeSize)}, checkpoint ${c.sequence} has ${c.treeSize}`,
          );
        if (leafIndex <= c.lastLeafIndex)
          fail('inclusion', `${at}: leaf index ${leafIndex} does not follow ${c.lastLeafIndex}`);
        const path = Array.isArray(proof.auditPath)
          ? proof.auditPath.map((h) => hexBytes(hash(h, 'an audit path hash')))
          : fail('file', 'no audit path');
        const root = rootFromPath(leaf(hexBytes(e.metadata.hash)), leafIndex, c.treeSize, path);
        if (!root || !root.equals(c.merkleRoot))
          fail(
            'inclusion',
            `${at}: its inclusion proof does not lead to checkpoint ${c.sequence}'s Merkle root`,
          );
        c.lastLeafIndex = leafIndex;
        c.listed.push(leaf(header.digest, hexBytes(e.metadata.hash)));
        sealed++;
      }
      events++;
    } else if (o!.kind === 'trailer') {
      // §9 step 6, §8.4
      closeSection();
      const held = { events, checkpoints, unsealedEvents: unsealed };
      for (const name of ['events', 'checkpoints', 'unsealedEvents'] as const) {
        if (count(o![name], name) !== held[name])
          fail(
            'trailer',
            `the trailer counts ${String(o![name])} ${name}, the file holds ${held[name]}`,
          );
      }
      const digest = running.digest('hex');
      if (hash(o!.sha256, 'sha256') !== digest)
        fail('trailer', 'the SHA-256 of the bytes before the trailer does not match');
      const statement = {
        checkpoints,
        events,
        keyId: o!.keyId as Json,
        sha256: digest,
        statement: 'keyledger-export/1',
        tenant: header.tenant,
        unsealedEvents: unsealed,
      };
      checkSignature(o!.keyId, canonicalJson(statement), o!.signature, 'the trailer');
      trailerSeen = true;
      continue;
    } else {
      fail('file', `unknown kind of line ${JSON.stringify(o!.kind)}`);
    }
    running.update(line).update('\n');
  }
  if (!trailerSeen) fail('file', 'the export has no trailer: the file is truncated');
  return {
    tenant: header!.tenant,
    events,
    sealedEvents: sealed,
    unsealedEvents: unsealed,
    checkpoints,
    completeCheckpoints: complete,
    eventHashes,
    checkpointHashes,
  };
}
