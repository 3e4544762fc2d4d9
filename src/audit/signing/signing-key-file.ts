import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../config/config';
import { signerFromPrivateKey, type AuditSigner } from './audit-signer';

export interface LoadedSigningKey {
  readonly signer: AuditSigner;
  /** Where the private key lives; null for an ephemeral key. */
  readonly file: string | null;
  /** True when this call generated the key (first start on a data directory). */
  readonly created: boolean;
  /** Beside the private key: the public key as PEM, for auditors. */
  readonly publicKeyFile: string | null;
}

/** `audit-signing-key.pem` → `audit-signing-key.pub.pem`. */
export function publicKeyFileFor(file: string): string {
  return `${file.replace(/\.pem$/, '')}.pub.pem`;
}

/**
 * The audit signing key: read from `file` (PKCS#8 PEM), or generated there on first use with
 * mode 0600. Two processes starting at once both end up with the one key that won the
 * exclusive create. `file` null: an ephemeral key that lives as long as the process.
 */
export function loadOrCreateSigningKey(file: string | null): LoadedSigningKey {
  if (file === null) {
    const { privateKey } = generateKeyPairSync('ed25519');
    return { signer: signerFromPrivateKey(privateKey), file, created: true, publicKeyFile: null };
  }
  const existing = readPrivateKey(file);
  if (existing) {
    const publicKeyFile = publicKeyFileFor(file);
    return { signer: toSigner(existing, file), file, created: false, publicKeyFile };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(file), { recursive: true });
  // Written aside, then linked into place: the key file appears whole or not at all, and the
  // link fails if another process got there first, in which case its key is the one to use.
  const draft = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(draft, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  try {
    chmodSync(draft, 0o600); // whatever the umask said
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return loadOrCreateSigningKey(file);
  } finally {
    rmSync(draft, { force: true });
  }
  const publicKeyFile = publicKeyFileFor(file);
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return { signer: toSigner(privateKey, file), file, created: true, publicKeyFile };
}

function readPrivateKey(file: string): KeyObject | undefined {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read the audit signing key ${file}: ${(error as Error).message}`);
  }
  try {
    return createPrivateKey(pem);
  } catch {
    throw new ConfigError(`${file} is not a PEM private key (AUDIT_SIGNING_KEY_FILE)`);
  }
}

function toSigner(key: KeyObject, file: string): AuditSigner {
  try {
    return signerFromPrivateKey(key);
  } catch {
    throw new ConfigError(`${file} is not an Ed25519 private key (AUDIT_SIGNING_KEY_FILE)`);
  }
}
