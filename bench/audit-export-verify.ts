import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TenantAuditExport } from '../src/audit/export/tenant-audit-export';
import { CheckpointSealer } from '../src/audit/sealer/checkpoint-sealer';
import { publicKeyDocument, signerFromPrivateKey } from '../src/audit/signing/audit-signer';
import { TrustedKeys } from '../src/audit/verify/trusted-keys';
import { verifyExportFile } from '../src/audit/verify/verify-export';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store.adapter';
import { systemClock } from '../src/shared/clock';
import { randomIds } from '../src/shared/ids';
import type { Benchmark } from './registry';
import { seedEventFile } from './support/seed';
import { format, printTable } from './support/table';
import { withTempDir } from './support/temp-dir';

const KEYS = 250_000;
const RENAMES_PER_KEY = 3; // 4 events per key: 1,000,002 events with the tenant and root key
const CHECKPOINT_SIZE = 1000;

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * The audit trail end to end over 1 M events of one tenant: sealing them into checkpoints of
 * 1000, exporting the tenant (every event with its inclusion proof, every checkpoint with its
 * tenant slice) and verifying the export offline. Goal: verify 1 M events in under 20 s.
 */
export const auditExportVerify: Benchmark = {
  name: 'audit-export-verify',
  description: `seal, export and verify offline ${format(KEYS * (RENAMES_PER_KEY + 1))} events`,
  run: () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'events.sqlite');
      const seeded = seedEventFile(file, KEYS, { extraEventsPerKey: RENAMES_PER_KEY, keepPlaintexts: 0 });
      const signer = signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);
      const store = SqliteEventStore.open(file);
      try {
        let started = process.hrtime.bigint();
        const sealed = await new CheckpointSealer(store, signer, systemClock, randomIds).sealAll(CHECKPOINT_SIZE);
        const sealSeconds = seconds(started);

        const out = join(dir, 'bench-audit.ndjson');
        started = process.hrtime.bigint();
        const exporter = new TenantAuditExport(store, signer, systemClock);
        await pipeline(Readable.from(exporter.chunks({ tenantId: seeded.tenantId })), createWriteStream(out));
        const exportSeconds = seconds(started);
        const bytes = statSync(out).size;

        started = process.hrtime.bigint();
        const outcome = await verifyExportFile(out, TrustedKeys.parse(JSON.stringify(publicKeyDocument([signer]))));
        const verifySeconds = seconds(started);
        if (!outcome.ok) throw new Error(`the benchmark export did not verify: ${outcome.failure.message}`);
        const events = outcome.report.events;

        printTable(
          ['step', 'events', 'seconds', 'events/s', 'goal'],
          [
            ['seal (checkpoints of 1000)', seeded.events, sealSeconds, seeded.events / sealSeconds, ''],
            ['export (HTTP/CLI path, to a file)', events, exportSeconds, events / exportSeconds, ''],
            ['verify offline', events, verifySeconds, events / verifySeconds, '1 M in < 20 s'],
          ],
        );
        console.log(`(${sealed.length} checkpoints; export file ${format(bytes / 2 ** 20)} MiB)`);
        return {
          events,
          checkpoints: sealed.length,
          exportBytes: bytes,
          seal: { seconds: sealSeconds, eventsPerSecond: seeded.events / sealSeconds },
          export: { seconds: exportSeconds, eventsPerSecond: events / exportSeconds },
          verify: { seconds: verifySeconds, eventsPerSecond: events / verifySeconds },
        };
      } finally {
        await store.close();
      }
    }),
};
