import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLines } from '../support/audit-export';
import { cli } from '../support/cli-run';
import { expectStatus, TestApp } from '../support/test-app';

describe('keyledger audit export / verify / seal, and replay', () => {
  let dataDir: string;
  let t: TestApp;
  let keyId: string;
  const publicKey = () => join(dataDir, 'audit-signing-key.pub.pem');
  const file = (name: string) => join(dataDir, name);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-audit-cli-'));
    t = await TestApp.start({ dataDir });
    await t.createTenant('acme');
    await t.createTenant('globex');
    const key = await t.createKey('acme', { name: 'first' });
    keyId = key.id;
    await t.createKey('globex');
    t.clock.advance(60_000);
    expectStatus(await t.as().patch(`/v1/tenants/acme/keys/${keyId}`, { name: 'second' }), 200);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seals, exports and verifies offline with the public key written beside the signing key', async () => {
    expect(statSync(join(dataDir, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
    const sealed = await cli(dataDir, 'audit', 'seal');
    expect(sealed.out).toMatch(/^Sealed checkpoint 0 over \d+ events\.\n$/);
    expect((await cli(dataDir, 'audit', 'seal')).out).toBe(
      'Nothing to seal: every event is covered by a checkpoint.\n',
    );
    t.clock.advance(60_000);
    expectStatus(await t.as().delete(`/v1/tenants/acme/keys/${keyId}`, { reason: 'done' }), 200);

    const exported = await cli(
      dataDir,
      'audit',
      'export',
      '--tenant',
      'acme',
      '--out',
      file('acme.ndjson'),
    );
    expect(exported.out).toMatch(
      /^Exported 4 events of tenant acme \(1 unsealed\) and 1 checkpoints to .*acme\.ndjson; signed by key [0-9a-f]{16}\.\n$/,
    );
    const verified = await cli(
      dataDir,
      'audit',
      'verify',
      file('acme.ndjson'),
      '--public-key',
      publicKey(),
    );
    expect(verified).toMatchObject({ exitCode: 0, err: '' });
    expect(verified.out).toContain('Verified: the audit export of tenant acme');
    expect(verified.out).toContain(
      '4 events in 2 streams: every hash recomputed, every chain link intact.',
    );
    expect(verified.out).toContain('1 event after the last checkpoint is UNSEALED');
    expect(verified.out).toContain(
      'Complete: no event of the tenant sealed by checkpoint 0 is missing',
    );
  });

  it('exits 1 naming the first failure of a tampered export, 2 when it cannot check at all', async () => {
    await cli(dataDir, 'audit', 'export', '--tenant', 'acme', '--out', file('clean.ndjson'));
    const text = readFileSync(file('clean.ndjson'), 'utf8');
    writeFileSync(file('tampered.ndjson'), text.replace('"name":"first"', '"name":"FIRST"'));
    const line = text.split('\n').findIndex((l) => l.includes('"name":"first"')) + 1;
    const event = parseLines(text)[line - 1].event as {
      stream: string;
      position: { commit: string };
    };

    const failed = await cli(
      dataDir,
      'audit',
      'verify',
      file('tampered.ndjson'),
      '--public-key',
      publicKey(),
    );
    expect(failed).toEqual({
      exitCode: 1,
      out: '',
      err: `keyledger: verification FAILED at line ${line}: event ${event.stream} revision 0 (position ${event.position.commit}): its hash does not match its content: the event was altered\n`,
    });
    expect(
      await cli(dataDir, 'audit', 'verify', file('missing.ndjson'), '--public-key', publicKey()),
    ).toEqual({
      exitCode: 2,
      out: '',
      err: `keyledger: cannot read ${file('missing.ndjson')}: no such file\n`,
    });
    writeFileSync(file('not-a-key.pem'), 'hello');
    expect(
      await cli(
        dataDir,
        'audit',
        'verify',
        file('clean.ndjson'),
        '--public-key',
        file('not-a-key.pem'),
      ),
    ).toEqual({
      exitCode: 2,
      out: '',
      err: `keyledger: cannot use the public key ${file('not-a-key.pem')}: not a PEM public key, nor the JSON of GET /v1/audit/public-keys\n`,
    });
  });

  it('exports one key only, saying that completeness is then not proven; refuses an unknown tenant', async () => {
    await cli(
      dataDir,
      'audit',
      'export',
      '--tenant',
      'acme',
      '--key',
      keyId,
      '--out',
      file('key.ndjson'),
    );
    const verified = await cli(
      dataDir,
      'audit',
      'verify',
      file('key.ndjson'),
      '--public-key',
      publicKey(),
    );
    expect(verified.out).toContain(
      `Filtered by key ${keyId}: completeness is not proven for a filtered export.`,
    );
    const stream = await t.readStream(`apikey-${keyId}`);
    const exported = parseLines(readFileSync(file('key.ndjson'), 'utf8')).filter(
      (l) => l.kind === 'event',
    );
    expect(exported.map((l) => l.event.id as string)).toEqual(stream.map((e) => e.id));
    await expect(
      cli(dataDir, 'audit', 'export', '--tenant', 'nobody', '--out', file('x.ndjson')),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
