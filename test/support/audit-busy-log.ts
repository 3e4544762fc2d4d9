import { computeEventHash } from '../../src/event-store/hash-chain';
import type { TrustedKeys } from '../../src/audit';
import { httpExport, parseLines, publicKeys, sealAll, type Line } from './audit-export';
import { expectStatus, TestApp } from './test-app';

/** Two tenants changing keys in turn, with root-key events between: a busy, interleaved log. */
async function busyLog(t: TestApp): Promise<void> {
  await t.createTenant('acme');
  await t.createTenant('globex');
  for (let i = 0; i < 6; i++) {
    const key = await t.createKey('acme', { name: `acme ${i}`, scopes: ['orders:read'] });
    const other = await t.createKey('globex', { name: `globex ${i}` });
    t.clock.advance(60_000);
    const path = `/v1/tenants/acme/keys/${key.id}`;
    expectStatus(await t.as().patch(path, { name: `renamed ${i}` }), 200);
    expectStatus(
      await t.as().patch(`/v1/tenants/globex/keys/${other.id}`, { scopes: ['a:b'] }),
      200,
    );
    expectStatus(await t.as().patch(path, { metadata: { round: i } }), 200);
    if (i % 3 === 0)
      expectStatus(await t.as().post(`${path}/rotate`, { gracePeriodSeconds: 60 }), 201);
    if (i % 3 === 1) expectStatus(await t.as().delete(path, { reason: 'leaked' }), 200);
    if (i % 2 === 0) await t.rootKey(['keys:read']);
    if (i === 3) await sealAll(t, 8);
  }
}

export interface BusyExport {
  readonly t: TestApp;
  readonly keys: TrustedKeys;
  /** acme's export, as the server streamed it: sealed checkpoints of 8, then unsealed events. */
  readonly text: string;
  readonly lines: Line[];
}

/** A busy log, partly sealed, with acme's export of it. */
export async function busyExport(): Promise<BusyExport> {
  const t = await TestApp.start();
  await busyLog(t);
  t.clock.advance(60_000);
  await t.createKey('acme', { name: 'unsealed one' });
  const text = await httpExport(t, 'acme');
  return { t, keys: await publicKeys(t), text, lines: parseLines(text) };
}

export const eventLines = (lines: readonly Line[]) => lines.filter((line) => line.kind === 'event');

/** How the verifier names an event line. */
export const subject = (line: Line) => {
  const e = line.event as { stream: string; revision: string; position: { commit: string } };
  return `event ${e.stream} revision ${e.revision} (position ${e.position.commit})`;
};

/** Re-hashes a checkpoint event after its data was changed, as a forger would. */
export function rehash(line: Line): void {
  const e = line.event;
  const { hash: _hash, ...metadata } = e.metadata;
  e.metadata.hash = computeEventHash(e.stream, BigInt(e.revision), e.type, e.data, metadata);
}
