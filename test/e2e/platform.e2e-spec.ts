import { TestApp, testConfig } from '../support/test-app';

/** The whole e2e suite runs once per platform (`npm test`); this proves which one is under test. */
describe(`HTTP platform: ${testConfig().httpPlatform}`, () => {
  it('serves the API on the configured platform with identical error bodies', async () => {
    const app = await TestApp.start();
    try {
      expect(app.app.getHttpAdapter().getType()).toBe(testConfig().httpPlatform);
      const res = await app
        .anonymous()
        .get('/v1/tenants/acme')
        .set('X-Request-Id', 'platform-check');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: 'Invalid or missing API key',
        code: 'UNAUTHORIZED',
        requestId: 'platform-check',
      });
      expect(res.headers['x-request-id']).toBe('platform-check');
    } finally {
      await app.close();
    }
  });
});
