import { generateKeyPairSync } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { loadConfig } from '../../config/config';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store.adapter';
import type { ProjectionRunner } from '../../projections/projection-runner';
import { systemClock } from '../../shared/clock';
import { randomIds } from '../../shared/ids';
import { AUDIT_CHECKPOINT_STREAM, type CheckpointData } from '../checkpoint/audit-checkpoint';
import { GENESIS_HASH, chainEvents } from '../../event-store/hash-chain';
import { signerFromPrivateKey } from '../signing/audit-signer';
import { BackgroundSealer } from './background-sealer';
import { CheckpointSealer } from './checkpoint-sealer';

async function appendEvents(store: SqliteEventStore, count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    const stream = `tenant-t${randomIds.uuid().slice(0, 8)}`;
    const events = chainEvents(stream, undefined, GENESIS_HASH, [
      {
        id: randomIds.uuid(),
        type: 'TenantCreated',
        data: { tenantId: stream.slice('tenant-'.length) },
        metadata: {
          schemaVersion: 1,
          occurredAt: new Date().toISOString(),
          actor: { type: 'system', id: 't' },
          requestId: 'r',
        },
      },
    ]);
    await store.append(stream, events, 'no_stream');
  }
}

async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('BackgroundSealer', () => {
  let store: SqliteEventStore;
  let background: BackgroundSealer | undefined;
  const checkpoints = async () =>
    (await store.readStream(AUDIT_CHECKPOINT_STREAM)).map(
      (e) => e.data as unknown as CheckpointData,
    );

  async function start(
    env: Record<string, string>,
    options: { server?: boolean; wanted?: boolean | null } = {},
  ) {
    const config = loadConfig({ DATA_DIR: ':memory:', ...env });
    const sealer = new CheckpointSealer(
      store,
      signerFromPrivateKey(generateKeyPairSync('ed25519').privateKey),
      systemClock,
      randomIds,
    );
    const projections = { isCaughtUp: () => true } as unknown as ProjectionRunner;
    const host = { httpAdapter: options.server === false ? undefined : {} } as HttpAdapterHost;
    background = new BackgroundSealer(
      sealer,
      projections,
      store,
      config,
      options.wanted ?? null,
      host,
    );
    return background.onApplicationBootstrap();
  }

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });
  afterEach(async () => {
    await background?.onModuleDestroy();
    background = undefined;
    await store.close();
  });

  it('seals every N events as they come, including a backlog found at start', async () => {
    await appendEvents(store, 7);
    await start({ AUDIT_SEAL_EVERY_EVENTS: '3', AUDIT_SEAL_INTERVAL_MS: '86400000' });
    await eventually(async () => (await checkpoints()).length === 2);
    await appendEvents(store, 2);
    await eventually(async () => (await checkpoints()).length === 3);
    expect((await checkpoints()).map((c) => c.treeSize)).toEqual([3, 3, 3]);
  });

  it('seals whatever is unsealed every interval', async () => {
    await start({ AUDIT_SEAL_EVERY_EVENTS: '1000', AUDIT_SEAL_INTERVAL_MS: '100' });
    await appendEvents(store, 2);
    await eventually(async () => (await checkpoints()).length === 1);
    expect((await checkpoints())[0].treeSize).toBe(2);
  });

  it('does not seal outside a server, with AUDIT_SEALER=off, or when told not to', async () => {
    await appendEvents(store, 4);
    const env = { AUDIT_SEAL_EVERY_EVENTS: '1', AUDIT_SEAL_INTERVAL_MS: '100' };
    for (const [extra, options] of [
      [{}, { server: false }],
      [{ AUDIT_SEALER: 'off' }, {}],
      [{}, { wanted: false }],
    ] as const) {
      await start({ ...env, ...extra }, options);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await background!.onModuleDestroy();
      expect(await checkpoints()).toEqual([]);
    }
  });
});
