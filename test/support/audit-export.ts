import { Readable } from 'node:stream';
import request from 'supertest';
import { CheckpointSealer } from '../../src/audit';
import { TrustedKeys } from '../../src/audit';
import { verifyExport, type VerificationOutcome } from '../../src/audit/verify/verify-export';
import { expectStatus, type TestApp } from './test-app';

/** The tenant's NDJSON export over HTTP, as the server streamed it. */
export async function httpExport(t: TestApp, tenantId: string, query = ''): Promise<string> {
  const res = await t
    .as()
    .get(`/v1/tenants/${tenantId}/audit${query}`)
    .set('Accept', 'application/x-ndjson')
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
  expectStatus(res, 200);
  expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
  return res.body as string;
}

/** What an auditor fetches once, out of band: the server's public keys. */
export async function publicKeys(t: TestApp): Promise<TrustedKeys> {
  const server = t.app.getHttpServer() as Parameters<typeof request>[0];
  const res = await request(server).get('/v1/audit/public-keys');
  expectStatus(res, 200);
  return TrustedKeys.parse(res.text);
}

export function verifyText(text: string | Buffer, keys: TrustedKeys): Promise<VerificationOutcome> {
  return verifyExport(Readable.from([Buffer.from(text)]), keys);
}

/** The failure message, or 'ok'. */
export async function verdict(text: string | Buffer, keys: TrustedKeys): Promise<string> {
  const outcome = await verifyText(text, keys);
  return outcome.ok ? 'ok' : outcome.failure.message;
}

/** Seals everything unsealed in checkpoints of at most `size` events. */
export function sealAll(t: TestApp, size: number) {
  return t.app.get(CheckpointSealer).sealAll(size);
}

/** A line of an export as the tamper tests reach into it: any JSON at all. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests rewrite arbitrary fields
export type Line = Record<string, any>;

export const parseLines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Line);

export const joinLines = (lines: readonly Line[]): string =>
  lines.map((line) => `${JSON.stringify(line)}\n`).join('');
