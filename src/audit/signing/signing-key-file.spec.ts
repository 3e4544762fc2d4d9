import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../config/config';
import { TrustedKeys } from '../verify/trusted-keys';
import { ed25519PublicKeyFromRaw, keyIdOf, publicKeyDocument } from './audit-signer';
import { loadOrCreateSigningKey } from './signing-key-file';

describe('the audit signing key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyledger-audit-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated on first use with mode 0600, with its public key beside it, and reused after', () => {
    const file = join(dir, 'nested', 'audit-signing-key.pem');
    const first = loadOrCreateSigningKey(file);
    expect(first).toMatchObject({
      created: true,
      file,
      publicKeyFile: join(dir, 'nested', 'audit-signing-key.pub.pem'),
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.signer.keyId).toBe(keyIdOf(first.signer.publicKey));
    expect(first.signer.keyId).toMatch(/^[0-9a-f]{16}$/);

    const again = loadOrCreateSigningKey(file);
    expect(again.created).toBe(false);
    expect(again.signer.keyId).toBe(first.signer.keyId);
    const message = Buffer.from('checkpoint');
    const signature = Buffer.from(again.signer.sign(message), 'base64');
    expect(verify(null, message, ed25519PublicKeyFromRaw(first.signer.publicKey), signature)).toBe(
      true,
    );
    expect(TrustedKeys.parse(readFileSync(first.publicKeyFile!, 'utf8')).ids).toEqual([
      first.signer.keyId,
    ]);
    expect(TrustedKeys.parse(JSON.stringify(publicKeyDocument([first.signer]))).ids).toEqual([
      first.signer.keyId,
    ]);
  });

  it('is ephemeral without a file', () => {
    const a = loadOrCreateSigningKey(null);
    const b = loadOrCreateSigningKey(null);
    expect(a).toMatchObject({ file: null, publicKeyFile: null });
    expect(a.signer.keyId).not.toBe(b.signer.keyId);
  });

  it('refuses a file that is not an Ed25519 private key with one clear line', () => {
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    expect(() => loadOrCreateSigningKey(garbage)).toThrow(
      new ConfigError(`${garbage} is not a PEM private key (AUDIT_SIGNING_KEY_FILE)`),
    );
    const rsa = join(dir, 'rsa.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    writeFileSync(rsa, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadOrCreateSigningKey(rsa)).toThrow(
      new ConfigError(`${rsa} is not an Ed25519 private key (AUDIT_SIGNING_KEY_FILE)`),
    );
  });
});
