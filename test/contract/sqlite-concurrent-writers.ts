import { Worker } from 'node:worker_threads';

/**
 * Runs in a worker thread: its own SQLite connection, truly in parallel with the test's.
 * Workers cannot use jest's transform, so the adapter's TypeScript is compiled with swc.
 */
const WRITER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const swc = require(workerData.swc);
require.extensions['.ts'] = (module, filename) => {
  const options = {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  };
  module._compile(swc.transformSync(readFileSync(filename, 'utf8'), options).code, filename);
};
const { SqliteEventStore } = require(workerData.adapter);

const event = () => ({
  id: randomUUID(),
  type: 'UsageRecorded',
  data: { writer: workerData.writer },
  metadata: {
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    actor: { type: 'system', id: 'writer-' + workerData.writer },
    requestId: randomUUID(),
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
  },
});

async function main() {
  const store = SqliteEventStore.open(workerData.filename);
  let conflicts = 0;
  for (let i = 0; i < workerData.appends; i++) {
    for (;;) {
      const [last] = await store.readStream(workerData.stream, { direction: 'backwards', maxCount: 1 });
      try {
        await store.append(workerData.stream, [event()], last ? last.revision : 'no_stream');
        break;
      } catch (error) {
        if (error.code !== 'CONCURRENCY_CONFLICT') throw error;
        conflicts++;
      }
    }
  }
  await store.close();
  return conflicts;
}
main().then((conflicts) => parentPort.postMessage({ conflicts }));
`;

export interface WriterOptions {
  readonly filename: string;
  readonly stream: string;
  readonly writer: number;
  readonly appends: number;
}

/**
 * Appends `appends` events to `stream` from another thread, each after reading the stream's
 * last revision and retrying on conflict. Resolves with the number of conflicts it met.
 */
export function runConcurrentWriter(options: WriterOptions): Promise<number> {
  const workerData = {
    ...options,
    swc: require.resolve('@swc/core'),
    adapter: require.resolve('../../src/event-store/sqlite/sqlite-event-store.adapter'),
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WRITER_SOURCE, { eval: true, workerData });
    worker.once('message', (message: { conflicts: number }) => resolve(message.conflicts));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`Writer ${options.writer} exited with code ${code}`));
    });
  });
}
