import { MongoClient, type Db } from 'mongodb';

export interface MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  close(): Promise<void>;
}

export interface MongoConnectOptions {
  /** How long to look for a server before giving up (start-up check and every operation). */
  readonly serverSelectionTimeoutMs?: number;
  /** Database to use when the URL names none. */
  readonly defaultDatabase?: string;
}

/**
 * A client for MONGODB_URL. The database is the URL's path (`mongodb://host/keyledger`), else
 * `keyledger`. Connects lazily; `ping` on the returned db checks that a server answers.
 */
export function openMongo(url: string, options: MongoConnectOptions = {}): MongoConnection {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5_000,
    appName: 'keyledger',
  });
  const db = client.db(databaseName(url) ?? options.defaultDatabase ?? 'keyledger');
  return { client, db, close: () => client.close() };
}

function databaseName(url: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(url)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}
