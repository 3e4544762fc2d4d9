import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ed25519PublicKeyFromRaw, keyIdOf, rawEd25519PublicKey } from '../signing/audit-signer';

/** The public keys an auditor trusts, by key id. Nothing in an export can add to them. */
export class TrustedKeys {
  private constructor(private readonly keys: ReadonlyMap<string, KeyObject>) {}

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  /**
   * Reads a PEM public key (as written beside the signing key, `audit-signing-key.pub.pem`), or
   * the JSON served by `GET /v1/audit/public-keys`. Throws an Error with a plain message.
   */
  static parse(text: string): TrustedKeys {
    const keys = new Map<string, KeyObject>();
    const add = (key: KeyObject) => {
      if (key.asymmetricKeyType !== 'ed25519')
        throw new Error('the public key is not an Ed25519 key');
      const raw = rawEd25519PublicKey(key);
      keys.set(keyIdOf(raw), ed25519PublicKeyFromRaw(raw));
    };
    const document = parseJson(text) as { keys?: unknown } | null | undefined;
    if (document === undefined) {
      const pems = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g);
      if (!pems) throw new Error('not a PEM public key, nor the JSON of GET /v1/audit/public-keys');
      for (const pem of pems) add(readPem(pem));
    } else {
      const list = document?.keys;
      if (!Array.isArray(list)) throw new Error('the JSON has no "keys" list');
      for (const entry of list as unknown[]) {
        const raw = (entry as { publicKey?: unknown } | null)?.publicKey;
        if (typeof raw !== 'string') throw new Error('a key in the JSON has no "publicKey"');
        const bytes = Buffer.from(raw, 'base64');
        if (bytes.length !== 32)
          throw new Error('a key in the JSON is not a raw Ed25519 public key');
        add(ed25519PublicKeyFromRaw(bytes));
      }
    }
    if (keys.size === 0) throw new Error('the file holds no public key');
    return new TrustedKeys(keys);
  }

  /** Null when the signature verifies; otherwise why not. */
  check(keyId: string, message: Buffer, signature: string): string | null {
    const key = this.keys.get(keyId);
    if (!key) return `signed by key ${keyId}, which is not among the trusted public keys`;
    const bytes = Buffer.from(signature, 'base64');
    const valid = bytes.length === 64 && verify(null, message, key, bytes);
    return valid
      ? null
      : `the signature does not verify with public key ${keyId}: forged or altered`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function readPem(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new Error('the PEM block is not a readable public key');
  }
}
