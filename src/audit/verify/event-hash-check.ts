import { hash } from 'node:crypto';
import type { EventMetadata, JsonObject } from '../../event-store/event-store.port';
import { computeEventHash } from '../../event-store/hash-chain';

export interface HashedContent {
  readonly stream: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

/**
 * Whether `metadata.hash` is the hash of the event's content (see hash-chain.ts).
 *
 * Fast path: exports write keys in canonical order, so JSON.stringify of the parsed event is
 * normally its RFC 8785 form already. If hashing that text gives the claimed hash, the text is
 * the one that was hashed (SHA-256 is collision resistant) and so is the content: sound without
 * canonicalising. Otherwise (keys that V8 reorders, such as "10", or an altered event) the
 * canonical form is computed in full, and that answer stands.
 */
export function hashMatchesContent(event: HashedContent): boolean {
  const { hash: claimed, ...withoutHash } = event.metadata;
  const revision = Number(event.revision);
  if (Number.isSafeInteger(revision)) {
    const body =
      `{"data":${JSON.stringify(event.data)},"metadata":${JSON.stringify(withoutHash)},` +
      `"revision":${revision},"stream":${JSON.stringify(event.stream)},"type":${JSON.stringify(event.type)}}`;
    if (hash('sha256', withoutHash.prevHash + body, 'hex') === claimed) return true;
  }
  try {
    return (
      computeEventHash(event.stream, event.revision, event.type, event.data, withoutHash) ===
      claimed
    );
  } catch {
    return false;
  }
}
