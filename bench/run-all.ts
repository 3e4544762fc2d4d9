/**
 * `npm run bench`: runs every benchmark in `bench/` in turn, prints each table and writes
 * `bench/results/latest.json`. Each benchmark compares its contenders side by side in one run
 * and reports ratios, because absolute figures on a shared 2-core machine are noisy.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchmarks } from './registry';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: Record<string, unknown> = {};
  for (const benchmark of benchmarks) {
    if (only.length > 0 && !only.includes(benchmark.name)) continue;
    console.log(`\n## ${benchmark.name}: ${benchmark.description}\n`);
    results[benchmark.name] = await benchmark.run();
  }
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  // A run of some benchmarks keeps the others' last figures.
  const previous = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { results?: Record<string, unknown> }).results
    : undefined;
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const merged = { ...previous, ...results };
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine, results: merged }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
