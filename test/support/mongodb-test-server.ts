import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { openMongo, type MongoConnection } from '../../src/projections/mongodb/mongo-connection';
import { MongoDbStandIn } from './mongodb-standin/mongodb-standin';

/** A real server when MONGODB_URL is set (CI's service container); the stand-in otherwise. */
const realServer = process.env.MONGODB_URL;

export const MONGODB_SERVER_LABEL = realServer
  ? 'mongodb (MONGODB_URL)'
  : 'mongodb (wire-protocol stand-in)';

export interface TestMongo {
  /** A database of its own, randomly named (a real server is shared between runs). */
  freshDatabase(): Db;
  /** Drops a database `freshDatabase` gave. */
  drop(db: Db): Promise<void>;
}

/**
 * Registers hooks that start a MongoDB for the enclosing `describe` (or file) and stop it after;
 * call at the top level of a spec or describe block.
 */
export function useTestMongo(): TestMongo {
  let standIn: MongoDbStandIn | undefined;
  let connection: MongoConnection | undefined;

  beforeAll(async () => {
    const url = realServer ?? (standIn = await MongoDbStandIn.start()).url;
    connection = openMongo(url, { serverSelectionTimeoutMs: 5_000 });
  });

  afterAll(async () => {
    await connection?.close();
    await standIn?.stop();
  });

  return {
    freshDatabase: () => {
      if (!connection) throw new Error('useTestMongo: no connection before beforeAll ran');
      return connection.client.db(`kl-test-${randomUUID().slice(0, 13)}`);
    },
    drop: async (db) => {
      await db.dropDatabase();
    },
  };
}
