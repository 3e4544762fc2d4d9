import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointData } from '../../src/audit/checkpoint/audit-checkpoint';
import { httpExport, publicKeys, sealAll, verifyText } from '../support/audit-export';
import { TestApp } from '../support/test-app';

describe('audit checkpoints across a restart', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-audit-restart-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the signing key, never re-seals or skips a range, and still verifies', async () => {
    const first = await TestApp.start({ dataDir });
    await first.createTenant('acme');
    await first.createKey('acme');
    const keyFile = join(dataDir, 'audit-signing-key.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const keyIds = (await publicKeys(first)).ids;
    expect(await sealAll(first, 100)).toHaveLength(1);
    const admin = first.admin;
    await first.close();

    const second = await TestApp.start({ dataDir, admin });
    try {
      expect((await publicKeys(second)).ids).toEqual(keyIds);
      expect(await sealAll(second, 100)).toEqual([]);
      await second.createKey('acme');
      await second.createKey('acme');
      const [next] = await sealAll(second, 100);
      const checkpoints = (await second.readStream('audit-checkpoints')).map(
        (event) => event.data as unknown as CheckpointData,
      );
      expect(checkpoints.map((c) => c.sequence)).toEqual([0, 1]);
      expect(next.range.after).toEqual(checkpoints[0].range.last);
      expect(next.treeSize).toBe(2);
      const outcome = await verifyText(await httpExport(second, 'acme'), await publicKeys(second));
      if (!outcome.ok) throw outcome.failure;
      expect(outcome.report).toMatchObject({ events: 4, checkpoints: 2, unsealedEvents: 0 });
    } finally {
      await second.close();
    }
  });
});
