import { TestApp } from '../support/test-app';
it('probe', async () => {
  const t = await TestApp.start();
  await t.createTenant('acme');
  const k = await t.createKey('acme', { name: 'one' });
  const r1 = await t.as().get(`/v1/tenants/acme/kyes?api_key=${k.key}`);
  t.clock.advance(60_000);
  await t.as().patch(`/v1/tenants/acme/keys/${k.id}`, { name: 'two' });
  const r2 = await t.as().get(`/v1/tenants/acme/keys/${k.id}?asOf=2026-01-01T00:00:30.000Z`);
  const r3 = await t.as().get(`/v1/tenants/acme/keys/${k.id}?bogus=1`);
  const r4 = await t.as().post(`/v1/tenants/acme/keys/${k.id}/rotate`);
  const r5 = await t.as().delete(`/v1/tenants/acme/keys/${r4.body.id}`);
  process.stdout.write(JSON.stringify([r1.status, r1.body, r2.status, r2.body.name, r3.status, r3.body, r4.status, r5.status, r5.body.status], null, 1) + '\n');
  process.stdout.write(t.logger.lines.filter((l) => !l.includes('Mapped')).join('\n'));
  await t.close();
});
