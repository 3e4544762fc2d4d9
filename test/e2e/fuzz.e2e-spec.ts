import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { GlobalPosition, RecordedEvent } from '../../src/event-store/event-store.port';
import { fuzzRequest, ROUTES, type FuzzRequest } from '../support/fuzz-requests';
import { TestApp, testConfig } from '../support/test-app';

/**
 * Hostile requests to every route, authorised with a real root key: arbitrary JSON (deep, large,
 * wrong types, odd Unicode, huge numbers, arrays where objects belong, truncated, not UTF-8),
 * odd path parameters, query strings and headers (types, encodings, charsets, request ids).
 * Whatever comes in: never a 5xx, every 4xx in the error shape, and a refused request appends
 * no event. A failure prints fast-check's seed and path; replay it with FUZZ_SEED (and
 * FUZZ_RUNS for a longer run).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

/** Streams written in the background, not by a request: the usage flush and the audit sealer. */
const BACKGROUND_STREAM = /^(usage-|audit-checkpoints$)/;

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

describe(`Fuzz (${testConfig().httpPlatform}, seed ${SEED}, ${RUNS} runs)`, () => {
  let t: TestApp;
  let port: number;
  let head: GlobalPosition | undefined;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createTenant('acme');
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** One request on its own connection; a connection error fails the property. */
  function send(request: FuzzRequest): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const { method, path, headers, body, chunked } = request;
      const outgoing = httpRequest({
        host: '127.0.0.1',
        port,
        method,
        path,
        headers,
        agent: false,
      });
      outgoing.on('error', reject);
      outgoing.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            text: Buffer.concat(chunks).toString(),
          }),
        );
      });
      // Node's client frames a DELETE or OPTIONS body only when told how.
      if (body !== undefined && !chunked) outgoing.setHeader('content-length', body.length);
      if (body !== undefined && chunked) outgoing.setHeader('transfer-encoding', 'chunked');
      outgoing.end(body);
    });
  }

  /** Events a request appended: those after the head, but for the background writers'. */
  async function appendedSinceHead(): Promise<RecordedEvent[]> {
    const events = await t.store.readAll({ ...(head ? { after: head } : {}), maxCount: 1000 });
    if (events.length > 0) head = events[events.length - 1].position;
    return events.filter((event) => !BACKGROUND_STREAM.test(event.stream));
  }

  /** What is wrong with an answer, if anything. */
  function problemWith(answer: Answer, appended: readonly RecordedEvent[]): string | undefined {
    if (answer.status >= 500) return 'a 5xx';
    if (answer.status < 400) return undefined;
    if (!/^application\/json/.test(answer.contentType)) return 'a 4xx that is not JSON';
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(answer.text) as Record<string, unknown>;
    } catch {
      return 'a 4xx body that does not parse';
    }
    const { error, code, requestId, details, ...rest } = body;
    const shaped =
      typeof error === 'string' &&
      error.length > 0 &&
      typeof code === 'string' &&
      /^[A-Z_]+$/.test(code) &&
      typeof requestId === 'string' &&
      requestId.length > 0 &&
      (details === undefined || Array.isArray(details)) &&
      Object.keys(rest).length === 0;
    if (!shaped) return 'a 4xx body not in the error shape';
    if (appended.length > 0)
      return `a refused request appended ${appended.map((e) => e.type).join(', ')}`;
    return undefined;
  }

  it('no input gives a 5xx; every 4xx has the error shape and appends nothing', async () => {
    const { key: rootKey } = t.admin;
    const targets = {
      tenantId: 'acme',
      keyId: (await t.createKey('acme')).id,
      rootKeyId: (await t.rootKey(['keys:read'])).id,
    };
    await appendedSinceHead();
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fuzzRequest(rootKey, targets), async (request) => {
        const answer = await send(request);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem = problemWith(answer, await appendedSinceHead());
        if (problem !== undefined) {
          throw new Error(`${problem}: HTTP ${answer.status} ${answer.text.slice(0, 400)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const counts = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    process.stdout.write(`fuzz: ${RUNS} runs in ${seconds} s; statuses ${counts.join(' ')}\n`);
    // The run is worth something only if it reached past the guards on every kind of route.
    expect([...statuses.keys()].some((status) => status < 300)).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
  }, 120_000);

  it('covers every route of the controllers', () => {
    expect(ROUTES.length).toBe(21);
  });
});
