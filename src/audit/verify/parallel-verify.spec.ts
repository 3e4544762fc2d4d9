import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LinePool } from './line-pool';
import { TrustedKeys } from './trusted-keys';
import { verifyExport, type VerificationOutcome, type VerifyOptions } from './verify-export';

/**
 * The worker threads only prepare lines; the verdict must not depend on them. Every export
 * below, clean or tampered, is verified on the calling thread alone and through the pool (one
 * line per batch, and several), and the outcomes must be the same, byte for byte.
 */
const VECTORS = join(__dirname, '../../../test/fixtures/audit-vectors');
const keys = TrustedKeys.parse(readFileSync(join(VECTORS, 'public-keys.json'), 'utf8'));
const exports = ['acme.ndjson', 'globex.ndjson'].map((name) =>
  readFileSync(join(VECTORS, name), 'utf8'),
);

let pool: LinePool;
beforeAll(() => (pool = new LinePool(2)));
afterAll(() => pool.close());

interface Seen {
  readonly outcome: string;
  readonly progress: number[];
}

async function run(text: string | Buffer, options: VerifyOptions, chunk = 0): Promise<Seen> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  if (chunk === 0) chunks.push(bytes);
  else for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const progress: number[] = [];
  const outcome = await verifyExport(Readable.from(chunks), keys, (n) => progress.push(n), options);
  return { outcome: summary(outcome), progress };
}

function summary(outcome: VerificationOutcome): string {
  if (outcome.ok) return JSON.stringify({ ok: true, report: outcome.report });
  const { line, subject, reason, message } = outcome.failure;
  return JSON.stringify({ ok: false, line, subject, reason, message });
}

const SEQUENTIAL: VerifyOptions = { threads: 0 };
const PARALLEL: VerifyOptions[] = [
  { pool: () => pool, parallelFromBytes: 0, batchBytes: 1 },
  { pool: () => pool, parallelFromBytes: 0, batchBytes: 3000 },
  { pool: () => pool, parallelFromBytes: 4000, batchBytes: 2000 },
].map(({ pool: get, ...rest }) => ({
  ...rest,
  get pool() {
    return get();
  },
}));

/** Verifies `text` every way and expects one outcome; returns it. */
async function sameEveryWay(text: string | Buffer): Promise<string> {
  const expected = await run(text, SEQUENTIAL);
  for (const options of PARALLEL) {
    const seen = await run(text, options);
    expect(seen.outcome).toBe(expected.outcome);
    // Progress ends at the last byte (on a failure it stops earlier, wherever each path was).
    if (JSON.parse(expected.outcome).ok)
      expect(seen.progress.at(-1)).toBe(Buffer.from(text).length);
  }
  // Chunks that cut lines anywhere.
  expect((await run(text, PARALLEL[1], 777)).outcome).toBe(expected.outcome);
  return expected.outcome;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every way of changing one value of the line: each leaf and each container, once. */
function* mutations(value: Json): Generator<Json> {
  if (value === null) yield 0;
  else if (typeof value === 'boolean') yield !value;
  else if (typeof value === 'number') yield* [value + 1, String(value)];
  else if (typeof value === 'string') {
    if (/^[0-9a-f]+$/.test(value)) yield value.slice(0, -1) + (value.endsWith('0') ? '1' : '0');
    else if (/^[0-9]+$/.test(value)) yield String(Number(value) + 1);
    yield `${value}x`;
  } else if (Array.isArray(value)) {
    if (value.length > 0) yield value.slice(1);
    if (value.length > 1) yield [...value].reverse();
    for (let i = 0; i < value.length; i++)
      for (const changed of mutations(value[i]))
        yield value.map((item, j) => (j === i ? changed : item));
  } else {
    const keys = Object.keys(value);
    for (const key of keys) {
      const { [key]: removed, ...without } = value;
      yield without;
      for (const changed of mutations(removed)) yield { ...value, [key]: changed };
    }
  }
}

describe('the verdict with and without worker threads', () => {
  jest.setTimeout(120_000);

  it('is the same on the clean vectors, and they verify', async () => {
    for (const text of exports) expect(JSON.parse(await sameEveryWay(text)).ok).toBe(true);
  });

  it('is the same for every line removed, repeated or swapped with the next', async () => {
    for (const text of exports) {
      const lines = text.split('\n').slice(0, -1);
      for (let i = 0; i < lines.length; i++) {
        const join = (l: string[]) => l.map((line) => `${line}\n`).join('');
        await sameEveryWay(join(lines.filter((_, j) => j !== i)));
        await sameEveryWay(join([...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)]));
        if (i + 1 < lines.length)
          await sameEveryWay(
            join([...lines.slice(0, i), lines[i + 1], lines[i], ...lines.slice(i + 2)]),
          );
      }
    }
  });

  it('is the same for every value of every line changed, and every member removed', async () => {
    let failures = 0;
    for (const text of exports) {
      const lines = text.split('\n').slice(0, -1);
      for (let i = 0; i < lines.length; i++) {
        for (const changed of mutations(JSON.parse(lines[i]) as Json)) {
          const copy = [...lines];
          copy[i] = JSON.stringify(changed);
          const outcome = await sameEveryWay(copy.map((line) => `${line}\n`).join(''));
          if (!JSON.parse(outcome).ok) failures++;
        }
      }
    }
    expect(failures).toBeGreaterThan(500);
  });

  it('is the same for a file cut anywhere, bytes flipped, and input that is no export', async () => {
    for (const text of exports) {
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length; at += 97) {
        await sameEveryWay(bytes.subarray(0, at));
        const flipped = Buffer.from(bytes);
        flipped[at] ^= 0x01;
        await sameEveryWay(flipped);
      }
      await sameEveryWay(`${text}${text.split('\n')[3]}\n`);
      await sameEveryWay(text.replace(/\n/g, '\r\n'));
    }
    for (const junk of ['', '\n', 'null\n', '[]\n', '{}\n', '\u00ff\u00fe\n', 'x'.repeat(5000)])
      await sameEveryWay(junk);
  });

  it('stops at the first failure while later batches are still on their way', async () => {
    const lines = exports[0].split('\n').slice(0, -1);
    lines[2] = lines[2].replace('"revision":"0"', '"revision":"1"');
    const text = lines
      .map((line) => `${line}\n`)
      .join('')
      .repeat(50);
    const outcome = await sameEveryWay(text);
    expect(JSON.parse(outcome)).toMatchObject({ ok: false, line: 3 });
  });
});
