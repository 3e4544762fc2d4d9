import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli-run';
import { expectStatus, TestApp } from '../support/test-app';

describe('keyledger replay --key --as-of', () => {
  let dataDir: string;
  let t: TestApp;
  let keyId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-replay-'));
    t = await TestApp.start({ dataDir });
    await t.createTenant('acme');
    keyId = (await t.createKey('acme', { name: 'first' })).id;
    t.clock.advance(60_000);
    expectStatus(await t.as().patch(`/v1/tenants/acme/keys/${keyId}`, { name: 'second' }), 200);
    t.clock.advance(60_000);
    expectStatus(await t.as().delete(`/v1/tenants/acme/keys/${keyId}`, { reason: 'done' }), 200);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('replays a key to an instant: the state then, and the events that produced it', async () => {
    const [first, second] = await t.readStream(`apikey-${keyId}`);
    const created = Date.parse(first.metadata.occurredAt);
    expect(Date.parse(second.metadata.occurredAt)).toBe(created + 60_000);
    const between = new Date(created + 30_000).toISOString();
    const replayed = await cli(dataDir, 'replay', '--key', keyId, '--as-of', between, '--json');
    const body = JSON.parse(replayed.out) as {
      state: Record<string, unknown>;
      events: { type: string }[];
      laterEvents: number;
    };
    const asOf = await t.as().get(`/v1/tenants/acme/keys/${keyId}?asOf=${between}`);
    expectStatus(asOf, 200);
    expect(body.state).toEqual(asOf.body);
    expect(body.state).toMatchObject({ name: 'first', status: 'active' });
    expect(body.events.map((e) => e.type)).toEqual(['ApiKeyCreated']);
    expect(body.laterEvents).toBe(2);

    const text = await cli(
      dataDir,
      'replay',
      '--key',
      keyId,
      '--as-of',
      new Date(created + 90_000).toISOString(),
    );
    expect(text.out).toMatch(/^Key [0-9a-f-]{36} as of .*: active, after 2 of 3 events\./);
    expect(text.out).toMatch(
      /#1 .* ApiKeyRenamed by root-key:[0-9a-f-]{36} \(request [^)]+\) \{"name":"second"\}/,
    );
    expect(text.out).toContain('(1 later event not applied)');
    expect(
      (await cli(dataDir, 'replay', '--key', keyId, '--as-of', '2020-01-01T00:00:00Z')).out,
    ).toMatch(/did not exist yet at 2020-01-01T00:00:00.000Z/);
  });
});
