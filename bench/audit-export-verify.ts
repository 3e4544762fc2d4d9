import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TenantAuditExport } from '../src/audit';
import { CheckpointSealer } from '../src/audit';
import { publicKeyDocument, signerFromPrivateKey } from '../src/audit/signing/audit-signer';
import { TrustedKeys } from '../src/audit';
import { verifyExportFile } from '../src/audit';
import { defaultVerifyThreads } from '../src/audit/verify/verify-export';
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

/** Export file to keep (and reuse on later runs, with its `.keys.json`): repeated verify runs. */
const KEEP = process.env.BENCH_AUDIT_EXPORT;

interface Figures {
  wall: number;
  cpu: number;
}

/**
 * The audit trail end to end over 1 M events of one tenant: sealing them into checkpoints of
 * 1000, exporting the tenant (every event with its inclusion proof, every checkpoint with its
 * tenant slice) and verifying the export offline, side by side on the same file: on the main
 * thread alone (`threads: 0`, as before worker threads) and with the default pool. Goal:
 * verify 1 M events in under 20 s.
 *
 * `BENCH_AUDIT_EXPORT=/some/file.ndjson` keeps the export there and, when it exists, verifies
 * it again without seeding, sealing and exporting (a file of 1 M events is about 1.4 GiB).
 */
export const auditExportVerify: Benchmark = {
  name: 'audit-export-verify',
  description: `seal, export and verify offline ${format(KEYS * (RENAMES_PER_KEY + 1))} events`,
  run: () =>
    withTempDir(async (dir) => {
      const out = KEEP ?? join(dir, 'bench-audit.ndjson');
      const made =
        KEEP && existsSync(KEEP) && existsSync(`${KEEP}.keys.json`) ? null : await make(dir, out);
      const keys = TrustedKeys.parse(readFileSync(`${out}.keys.json`, 'utf8'));
      const bytes = statSync(out).size;
      const load = loadavg()[0];

      const verify = async (threads?: number) => {
        const verified = await timed(() => verifyExportFile(out, keys, undefined, { threads }));
        const outcome = verified.result;
        if (!outcome.ok) throw new Error(`the export did not verify: ${outcome.failure.message}`);
        return { ...verified, events: outcome.report.events };
      };
      const sequential = await verify(0);
      const parallel = await verify();
      const events = parallel.events;
      const threads = defaultVerifyThreads();

      const row = (step: string, count: number, t: Figures, goal = '') =>
        [step, count, t.wall, count / t.wall, t.cpu, count / t.cpu, goal] as const;
      printTable(
        ['step', 'events', 'wall s', 'events/s', 'CPU s', 'events/CPU s', 'goal'],
        [
          ...(made
            ? [
                row('seal (checkpoints of 1000)', made.seeded, made.seal),
                row('export (to a file)', events, made.exported),
              ]
            : []),
          row('verify offline, main thread only (before)', events, sequential),
          row(`verify offline, ${threads} worker threads`, events, parallel, '1 M in < 20 s'),
        ],
      );
      const ratio = sequential.wall / parallel.wall;
      console.log(
        `(verify: ${ratio.toFixed(2)}× faster with worker threads, wall; CPU ${format(sequential.cpu)} s → ${format(parallel.cpu)} s)`,
      );
      console.log(
        `(${made ? `${made.checkpoints} checkpoints; ` : 'export file reused; '}export file ${format(bytes / 2 ** 20)} MiB; ` +
          `${cpus()[0]?.model ?? 'unknown CPU'}; load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`,
      );
      const figures = (t: Figures, count: number) => ({
        wallSeconds: t.wall,
        cpuSeconds: t.cpu,
        eventsPerSecond: count / t.wall,
        eventsPerCpuSecond: count / t.cpu,
      });
      return {
        events,
        ...(made
          ? {
              checkpoints: made.checkpoints,
              seal: figures(made.seal, made.seeded),
              export: figures(made.exported, events),
            }
          : {}),
        exportBytes: bytes,
        verifySequential: figures(sequential, events),
        verify: { ...figures(parallel, events), threads },
        verifySpeedup: ratio,
        cpu: cpus()[0]?.model,
        loadAverage: load,
      };
    }),
};

/** Seeds, seals and exports into `out`; the trusted key document goes beside it. */
async function make(dir: string, out: string) {
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
    const exporter = new TenantAuditExport(store, signer, systemClock);
    const chunks = exporter.chunks({ tenantId: seeded.tenantId });
    const exported = await timed(() => pipeline(Readable.from(chunks), createWriteStream(out)));
    writeFileSync(`${out}.keys.json`, JSON.stringify(publicKeyDocument([signer])));
    return { seeded: seeded.events, seal, exported, checkpoints: seal.result.length };
  } finally {
    await store.close();
  }
}
