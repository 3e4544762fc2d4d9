import { effectiveExpiry, deriveStatus } from './keys/domain/api-key.state';
it('probe', () => {
  const e = new Date('+010000-01-01T00:00:00Z').toISOString();
  console.log(e, Date.parse(e), effectiveExpiry({ expiresAt: e, graceEndsAt: '2026-03-01T12:01:00.000Z' }),
   deriveStatus({ revokedAt: null, expiresAt: e, graceEndsAt: '2026-03-01T12:01:00.000Z' }, new Date('2026-03-02T00:00:00Z')));
  console.log(JSON.stringify({a:1,b:2}) === JSON.stringify({b:2,a:1}));
});
