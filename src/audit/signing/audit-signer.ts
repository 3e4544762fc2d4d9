import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';

/**
 * Signs checkpoints and exports with the audit key (Ed25519). Holds the private key; hands out
 * only the public half and signatures.
 */
export interface AuditSigner {
  /** First 16 hex digits of SHA-256 of the raw 32-byte public key. */
  readonly keyId: string;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  /** Base64 Ed25519 signature of `message`. */
  sign(message: Buffer): string;
}

export const AUDIT_SIGNER = Symbol('AuditSigner');

export function keyIdOf(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

/** The raw 32 bytes of an Ed25519 public (or private) key. */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new TypeError('not an Ed25519 key');
  }
  return Buffer.from(jwk.x, 'base64url');
}

export function ed25519PublicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new TypeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

export function signerFromPrivateKey(privateKey: KeyObject): AuditSigner {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('the audit signing key must be an Ed25519 private key');
  }
  const publicKey = rawEd25519PublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKey,
    sign: (message) => sign(null, message, privateKey).toString('base64'),
  };
}

/** What `GET /v1/audit/public-keys` serves and `audit verify --public-key` accepts. */
export interface PublicKeyDocument {
  readonly keys: readonly {
    readonly keyId: string;
    readonly algorithm: 'Ed25519';
    /** Raw public key, base64. */
    readonly publicKey: string;
    readonly pem: string;
  }[];
}

export function publicKeyDocument(
  signers: readonly Pick<AuditSigner, 'publicKey'>[],
): PublicKeyDocument {
  return {
    keys: signers.map(({ publicKey }) => ({
      keyId: keyIdOf(publicKey),
      algorithm: 'Ed25519' as const,
      publicKey: publicKey.toString('base64'),
      pem: ed25519PublicKeyFromRaw(publicKey).export({ type: 'spki', format: 'pem' }).toString(),
    })),
  };
}
