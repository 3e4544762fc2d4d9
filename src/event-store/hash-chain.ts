import type { EventMetadata, JsonObject, NewEvent, RecordedEvent } from './event-store.port';
import { canonicalJson, sha256Hex } from '../shared/canonical-hash';

/**
 * Every stream is a hash chain (docs/audit-format.md §3). Each event's `hash` covers its stream,
 * revision, type, data and metadata (including `prevHash`, the previous event's hash), so
 * changing, removing, reordering or moving any event breaks the chain from that point on.
 */
export const GENESIS_HASH = '0'.repeat(64);

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export interface UnchainedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: Omit<EventMetadata, 'prevHash' | 'hash'>;
}

export type ChainCheck =
  | { readonly ok: true; readonly lastHash: string }
  | { readonly ok: false; readonly revision: bigint; readonly reason: string };

/**
 * hash = SHA-256(prevHash ‖ RFC 8785 JSON of { stream, revision, type, data, metadata
 * without hash }) as lowercase hex, over UTF-8; prevHash is its 64-char hex text and revision
 * a JSON number. Properties that are undefined are left out, so an absent optional field and
 * one set to undefined hash alike; a `hash` property that slips into the metadata is ignored.
 */
export function computeEventHash(
  stream: string,
  revision: bigint,
  type: string,
  data: JsonObject,
  metadataWithoutHash: Omit<EventMetadata, 'hash'>,
): string {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`revision ${revision} cannot be hashed as an exact JSON number`);
  }
  const metadata: Record<string, unknown> = { ...metadataWithoutHash };
  delete metadata.hash;
  const body = canonicalJson({ stream, revision: Number(revision), type, data, metadata });
  return sha256Hex(metadataWithoutHash.prevHash + body);
}

/**
 * Chains drafts onto a stream whose last event has revision `lastRevision` (undefined = new
 * stream) and hash `lastHash` (GENESIS_HASH for a new stream). The result is ready to append
 * with `lastRevision ?? 'no_stream'` as the expected revision.
 */
export function chainEvents(
  stream: string,
  lastRevision: bigint | undefined,
  lastHash: string,
  drafts: readonly UnchainedEvent[],
): NewEvent[] {
  if (!HASH_PATTERN.test(lastHash)) throw new TypeError('lastHash must be 64 lowercase hex chars');
  if (lastRevision === undefined && lastHash !== GENESIS_HASH) {
    throw new TypeError('a new stream must start from GENESIS_HASH');
  }
  let revision = lastRevision === undefined ? 0n : lastRevision + 1n;
  let prevHash = lastHash;
  return drafts.map((draft) => {
    const metadata = { ...withoutUndefined(draft.metadata), prevHash };
    const hash = computeEventHash(stream, revision, draft.type, draft.data, metadata);
    revision++;
    prevHash = hash;
    return { id: draft.id, type: draft.type, data: draft.data, metadata: { ...metadata, hash } };
  });
}

/**
 * Checks a whole stream read from revision 0: consecutive revisions, one stream, prevHash
 * links and recomputed hashes. On failure, `revision` is the first revision whose integrity
 * cannot be confirmed (for a gap: the missing one).
 */
export function verifyStreamChain(events: readonly RecordedEvent[]): ChainCheck {
  let prevHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const expected = BigInt(index);
    const fail = (reason: string): ChainCheck => ({ ok: false, revision: expected, reason });
    if (event.revision !== expected) {
      return fail(
        `expected revision ${expected} but found ${event.revision}: missing or out of order`,
      );
    }
    if (event.stream !== events[0].stream) {
      return fail(`event belongs to stream ${event.stream}, not ${events[0].stream}`);
    }
    if (event.metadata.prevHash !== prevHash) {
      return fail(
        index === 0
          ? 'prevHash of the first event is not the genesis hash'
          : "prevHash does not match the previous event's hash",
      );
    }
    const recomputed = recomputeHash(event);
    if (recomputed === undefined) return fail('event content cannot be hashed: not valid JSON');
    if (event.metadata.hash !== recomputed) {
      return fail('hash does not match the event content: the event was altered');
    }
    prevHash = recomputed;
  }
  return { ok: true, lastHash: prevHash };
}

function recomputeHash(event: RecordedEvent): string | undefined {
  try {
    return computeEventHash(event.stream, event.revision, event.type, event.data, event.metadata);
  } catch {
    return undefined;
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
