import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { MongoDbStandIn } from './mongodb-standin';

export interface StandInSession {
  readonly standIn: MongoDbStandIn;
  readonly client: MongoClient;
  /** A database of its own for the current test. */
  readonly db: Db;
}

/**
 * For a spec file: one stand-in and one driver client for the whole file (jest hooks), and a
 * fresh, randomly named database for each test. Read the fields inside tests only.
 */
export function standInPerFile(databasePrefix = 'standin'): StandInSession {
  const session = {} as { standIn: MongoDbStandIn; client: MongoClient; db: Db };
  beforeAll(async () => {
    session.standIn = await MongoDbStandIn.start();
    session.client = new MongoClient(session.standIn.url, { serverSelectionTimeoutMS: 2_000 });
  });
  beforeEach(() => {
    session.db = session.client.db(`${databasePrefix}-${randomUUID().slice(0, 8)}`);
  });
  afterAll(async () => {
    await session.client?.close();
    await session.standIn?.stop();
  });
  return session;
}
