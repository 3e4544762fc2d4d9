import { auditExportVerify } from './audit-export-verify';
import { eventStoreBench } from './event-store.bench';
import { rebuildMemory } from './rebuild-memory.bench';
import { usageOverhead } from './usage-overhead';
import { verifyHttp } from './verify-http.bench';
import { verifyInProcess } from './verify-in-process.bench';

/** Every benchmark `npm run bench` runs, in order. Add yours here. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** Prints its own table; returns the figures written to results/latest.json. */
  run(): Promise<unknown>;
}

export const benchmarks: Benchmark[] = [
  verifyInProcess,
  verifyHttp,
  eventStoreBench,
  rebuildMemory,
  auditExportVerify,
  usageOverhead,
];
