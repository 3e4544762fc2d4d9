import { TestApp } from '../support/test-app';
it('boots', async () => {
  const t = await TestApp.start();
  await t.createTenant('acme');
  const k = await t.createKey('acme', { scopes: ['a:read'] });
  console.log(k, await t.verify(k.key), await t.countEvents());
  await t.close();
}, 20000);
