import { randomBytes, randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import type { ApiKeyCreated } from '../../src/keys/domain/api-key.events';
import type {
  VerifiableKey,
  VerificationIndex,
} from '../../src/keys/read-models/key-directory.port';
import { apiKeyCreated, apiKeyRevoked, apiKeyRotated } from '../support/factories';
import {
  KEY_CHANGES,
  KEY_RECORD_FIELDS,
  KeyHistory,
  snapshotOf,
  type KeyChange,
} from './verification-index.support';

export interface VerificationIndexFixture {
  readonly index: VerificationIndex;
  /** Delivers a key event as it happens, as the adapter is fed in operation. */
  feed(event: RecordedEvent): Promise<void>;
  readonly cleanup: () => Promise<void>;
}

/**
 * Opens an index on a store that already holds `history`, the key events from before the index
 * started: a directory rebuilds from them; a cache has not seen them and reads keys on a miss.
 */
export type OpenVerificationIndex = (
  history: readonly RecordedEvent[],
) => Promise<VerificationIndexFixture>;

type KeyData = ApiKeyCreated['data'];

const CREATED_AT = '2026-03-01T11:00:00.000Z';
const CHANGED_AT = '2026-03-01T12:30:00.000Z';
const hash = () => randomBytes(32).toString('hex');

/**
 * The behaviour every VerificationIndex adapter must have (see the port's JSDoc): the object
 * identity that the verifier's VALID answers, the HTTP answer text and usage counting rely on,
 * and records that spread and serialise as the plain records they stand for.
 */
export function verificationIndexContract(adapterName: string, open: OpenVerificationIndex): void {
  describe(`VerificationIndex contract: ${adapterName}`, () => {
    let history: KeyHistory;
    let fixture: VerificationIndexFixture | undefined;
    // Unique per run: a real server is shared between runs.
    const tenant = `t-${randomUUID().slice(0, 8)}`;

    beforeEach(() => {
      history = new KeyHistory();
      fixture = undefined;
    });
    afterEach(async () => {
      await fixture?.cleanup();
    });

    const running = (): VerificationIndexFixture => {
      if (!fixture) throw new Error('The index was not started');
      return fixture;
    };
    /** Opens the index on every event so far. */
    const start = async () => {
      fixture = await open([...history.events]);
    };
    /** A key's creation, in the history only: not fed. */
    const created = (overrides: Partial<KeyData> = {}): KeyData => {
      const { data } = apiKeyCreated({
        keyId: randomUUID(),
        tenantId: tenant,
        keyHash: hash(),
        name: 'Checkout — prod 🔑',
        scopes: ['orders:read', 'orders:write'],
        expiresAt: '2026-09-01T00:00:00.000Z',
        rateLimit: { limit: 100, windowSeconds: 60 },
        allowedIps: ['10.0.0.0/8'],
        allowedOrigins: ['https://app.example.com'],
        metadata: { plan: 'pro', seats: 3, trial: false, note: null },
        ...overrides,
      });
      history.created(data, CREATED_AT);
      return data;
    };
    const createdLive = async (overrides: Partial<KeyData> = {}): Promise<KeyData> => {
      const key = created(overrides);
      await running().feed(history.events.at(-1)!);
      return key;
    };
    const changedLive = (change: KeyChange) => running().feed(history.changed(change, CHANGED_AT));
    const find = async (keyHash: string) => await running().index.lookup(keyHash);
    const found = async (keyHash: string): Promise<VerifiableKey> => {
      const key = await find(keyHash);
      if (key === undefined) throw new Error(`No key has the hash ${keyHash}`);
      return key;
    };
    const change = (name: string) => KEY_CHANGES.find(([named]) => named === name)![1];

    /** The two ways a key comes to be in an index: created before it started, or while it runs. */
    const keyOrigins: readonly (readonly [string, (o?: Partial<KeyData>) => Promise<KeyData>])[] = [
      [
        'a key created before the index started',
        async (overrides) => {
          const key = created(overrides);
          await start();
          return key;
        },
      ],
      [
        'a key created while the index runs',
        async (overrides) => {
          await start();
          return createdLive(overrides);
        },
      ],
    ];

    it('answers a hash no key has with undefined, before and after keys exist', async () => {
      await start();
      const unknown = hash();
      expect(await find(unknown)).toBeUndefined();
      expect(await find(unknown)).toBeUndefined();
      const key = await createdLive();
      expect(await find(unknown)).toBeUndefined();
      expect(await find(hash())).toBeUndefined();
      expect((await found(key.keyHash)).record.keyId).toBe(key.keyId);
    });

    it('finds revoked and expired keys: refusing them is the verifier’s business', async () => {
      const revoked = created();
      history.changed({ event: apiKeyRevoked(revoked), sets: {} }, CHANGED_AT);
      const expired = created({ expiresAt: '2026-01-01T00:00:00.000Z' });
      const rotated = created();
      history.changed({ event: apiKeyRotated(rotated), sets: {} }, CHANGED_AT);
      await start();
      expect((await found(revoked.keyHash)).record.revokedAt).not.toBeNull();
      expect((await found(expired.keyHash)).expiresAtIso).toBe('2026-01-01T00:00:00.000Z');
      expect((await found(rotated.keyHash)).record.graceEndsAt).not.toBeNull();
    });

    describe.each(keyOrigins)('%s', (_origin, keyIn) => {
      it('is the same object on every lookup, answered from memory once looked up', async () => {
        const key = await keyIn();
        const first = await found(key.keyHash);
        const again = running().index.lookup(key.keyHash);
        expect(again).not.toBeInstanceOf(Promise);
        expect(again).toBe(first);
        expect(await find(key.keyHash)).toBe(first);
      });

      it('stays the same object whatever happens to other keys', async () => {
        const key = await keyIn();
        const other = await createdLive();
        const first = await found(key.keyHash);
        const otherFirst = await found(other.keyHash);
        for (const [, makeChange] of KEY_CHANGES) await changedLive(makeChange(other));
        await found((await createdLive()).keyHash);
        expect(await find(key.keyHash)).toBe(first);
        expect(await find(other.keyHash)).not.toBe(otherFirst);
      });

      it('stays the same object, and as it is, when events it reflects come again', async () => {
        const key = await keyIn();
        await changedLive(change('renamed')(key));
        await changedLive(change('revoked')(key));
        const first = await found(key.keyHash);
        const snapshot = snapshotOf(first);
        // A subscription that resumes from an earlier position delivers them again.
        for (const event of [...history.events]) await running().feed(event);
        await running().feed(history.events[0]);
        expect(await find(key.keyHash)).toBe(first);
        expect(snapshotOf(first)).toStrictEqual(snapshot);
        expect({ ...first.record }).toStrictEqual(history.recordOf(key.keyId));
      });

      it.each(KEY_CHANGES)(
        'is a new object once the key is %s, and the one handed out before is left as it was',
        async (_change, makeChange) => {
          const key = await keyIn();
          const before = await found(key.keyHash);
          const recordBefore = history.recordOf(key.keyId);
          const snapshot = snapshotOf(before);
          const members = { ...before };
          await changedLive(makeChange(key));

          const after = await found(key.keyHash);
          expect(after).not.toBe(before);
          expect(after.record).not.toBe(before.record);
          expect(await find(key.keyHash)).toBe(after);
          expect({ ...after.record }).toStrictEqual(history.recordOf(key.keyId));
          // Never mutated: every value as it read before the change, the same objects inside.
          expect(snapshotOf(before)).toStrictEqual(snapshot);
          expect({ ...before.record }).toStrictEqual(recordBefore);
          expect(Object.keys(before)).toEqual(Object.keys(members));
          for (const [name, value] of Object.entries(members)) {
            expect(before[name as keyof VerifiableKey]).toBe(value);
          }
        },
      );

      it('spreads and serialises to the plain record, every field, in order', async () => {
        const plain = await keyIn({ metadata: null, allowedIps: null, rateLimit: null });
        const changed = await createdLive({ rotatedFrom: randomUUID() });
        for (const [, makeChange] of KEY_CHANGES) await changedLive(makeChange(changed));
        const everySet = history.recordOf(changed.keyId);
        for (const field of KEY_RECORD_FIELDS) expect(everySet[field]).not.toBeNull();

        for (const key of [plain, changed]) {
          const { record } = await found(key.keyHash);
          const expected = history.recordOf(key.keyId);
          expect({ ...record }).toStrictEqual(expected);
          expect(Object.keys({ ...record })).toEqual(KEY_RECORD_FIELDS);
          const json: unknown = JSON.parse(JSON.stringify(record));
          expect(json).toStrictEqual(expected);
          expect(Object.keys(json as object)).toEqual(KEY_RECORD_FIELDS);
          // Each read of a field gives the same value, the same object for objects.
          for (const field of KEY_RECORD_FIELDS) expect(record[field]).toBe(record[field]);
        }
      });
    });
  });
}
