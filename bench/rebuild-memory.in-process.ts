/**
 * Child process of the `rebuild-memory` benchmark, run with `--expose-gc`: builds the
 * application (no HTTP server) on a data directory, which rebuilds the in-memory read models,
 * then collects garbage twice and prints one JSON line: the build's wall and CPU time, and heap,
 * array buffers and RSS after collection, next to the same figures before the build. This is
 * what the server's RSS cannot tell: how much of it is live data, and whose.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/config';

export interface InProcessRebuild {
  readonly buildMs: number;
  readonly buildCpuMs: number;
  readonly before: MemoryFigures;
  readonly after: MemoryFigures;
}

export interface MemoryFigures {
  readonly heapUsedBytes: number;
  readonly arrayBuffersBytes: number;
  readonly rssBytes: number;
}

async function main(): Promise<void> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  const figures = (): MemoryFigures => {
    collect();
    collect();
    const usage = process.memoryUsage();
    return {
      heapUsedBytes: usage.heapUsed,
      arrayBuffersBytes: usage.arrayBuffers,
      rssBytes: usage.rss,
    };
  };
  const before = figures();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...loadConfig({}), dataDir: process.argv[2] }),
    { logger: false },
  );
  const used = process.cpuUsage(cpu);
  const result: InProcessRebuild = {
    buildMs: performance.now() - started,
    buildCpuMs: (used.user + used.system) / 1000,
    before,
    after: figures(),
  };
  await app.close();
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
