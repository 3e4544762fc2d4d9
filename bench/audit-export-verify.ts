import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TenantAuditExport } from '../src/audit';
import { CheckpointSealer } from '../src/audit';
import { publicKeyDocument, signerFromPrivateKey } from '../src/audit/signing/audit-signer';
import { TrustedKeys } from '../src/audit';
import { verifyExportFile } from '../src/audit';
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

/** Wall-clock and CPU seconds of `work`: on a shared machine the CPU time says more. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; wall: number; cpu: number }> {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(cpuStart);
  const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
  return { result, wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

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
      const seeded = seedEventFile(file, KEYS, {
        extraEventsPerKey: RENAMES_PER_KEY,
        keepPlaintexts: 0,
      });
      const signer = signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey);
      const store = SqliteEventStore.open(file);
      try {
        const sealer = new CheckpointSealer(store, signer, systemClock, randomIds);
        const seal = await timed(() => sealer.sealAll(CHECKPOINT_SIZE));

        const out = join(dir, 'bench-audit.ndjson');
        const exporter = new TenantAuditExport(store, signer, systemClock);
        const chunks = exporter.chunks({ tenantId: seeded.tenantId });
        const exported = await timed(() => pipeline(Readable.from(chunks), createWriteStream(out)));
        const bytes = statSync(out).size;

        const keys = TrustedKeys.parse(JSON.stringify(publicKeyDocument([signer])));
        const verified = await timed(() => verifyExportFile(out, keys));
        const outcome = verified.result;
        if (!outcome.ok) throw new Error(`the export did not verify: ${outcome.failure.message}`);
        const events = outcome.report.events;

        const row = (step: string, count: number, t: { wall: number; cpu: number }, goal = '') =>
          [step, count, t.wall, count / t.wall, t.cpu, count / t.cpu, goal] as const;
        printTable(
          ['step', 'events', 'wall s', 'events/s', 'CPU s', 'events/CPU s', 'goal'],
          [
            row('seal (checkpoints of 1000)', seeded.events, seal),
            row('export (to a file)', events, exported),
            row('verify offline', events, verified, '1 M in < 20 s'),
          ],
        );
        console.log(
          `(${seal.result.length} checkpoints; export file ${format(bytes / 2 ** 20)} MiB; ` +
            `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`,
        );
        const figures = (t: { wall: number; cpu: number }, count: number) => ({
          wallSeconds: t.wall,
          cpuSeconds: t.cpu,
          eventsPerSecond: count / t.wall,
          eventsPerCpuSecond: count / t.cpu,
        });
        return {
          events,
          checkpoints: seal.result.length,
          exportBytes: bytes,
          seal: figures(seal, seeded.events),
          export: figures(exported, events),
          verify: figures(verified, events),
        };
      } finally {
        await store.close();
      }
    }),
};
