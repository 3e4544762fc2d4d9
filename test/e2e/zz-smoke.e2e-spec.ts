import { TestApp } from '../support/test-app';
it('boots', async () => {
  const t0 = Date.now();
  const lap = (s: string) => process.stdout.write(`${s} ${Date.now() - t0}\n`);
  const t = await TestApp.start();
  lap('start');
  await t.createTenant('acme');
  lap('tenant');
  const k = await t.createKey('acme', { scopes: ['a:read'] });
  lap('key');
  await t.verify(k.key);
  lap('verify');
  await t.countEvents();
  lap('count');
  await t.close();
  lap('close');
}, 60000);
