import { CREATED_AT, isoAt, rootKeyCreated, rootKeyRevoked } from '../../../test/support/factories';
import type { RootKeyEvent } from './root-key.events';
import { evolveRootKey, initialRootKeyState } from './root-key.state';

describe('root key state', () => {
  describe('evolveRootKey', () => {
    const created = rootKeyCreated();
    const { rootKeyId } = created.data;

    it('RootKeyCreated makes an unrevoked root key with its data', () => {
      expect(evolveRootKey(initialRootKeyState, created)).toStrictEqual({
        exists: true,
        revokedAt: null,
        ...created.data,
      });
    });

    it('RootKeyRevoked records when, and changes nothing else', () => {
      const state = evolveRootKey(initialRootKeyState, created);
      const revoked = rootKeyRevoked(rootKeyId, { revokedAt: isoAt(-5), reason: 'rotated' });
      expect(evolveRootKey(state, revoked)).toStrictEqual({ ...state, revokedAt: isoAt(-5) });
    });

    it('ignores RootKeyRevoked for a root key it has not seen created', () => {
      const revoked = rootKeyRevoked(rootKeyId, { revokedAt: CREATED_AT });
      expect(evolveRootKey(initialRootKeyState, revoked)).toStrictEqual({ exists: false });
    });

    it('leaves the state as it is for an event type it does not know', () => {
      const state = evolveRootKey(initialRootKeyState, created);
      const renamed = { type: 'RootKeyRenamed', data: { rootKeyId } } as unknown as RootKeyEvent;
      expect(evolveRootKey(state, renamed)).toBe(state);
    });
  });
});
