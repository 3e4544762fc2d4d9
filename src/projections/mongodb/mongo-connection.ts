import { MongoClient, type Db } from 'mongodb';
import { redactUrlPassword } from '../../shared/redact-url';

export interface MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  /** The URL with its password masked, for messages. */
  readonly where: string;
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
  return { client, db, where: redactUrlPassword(url), close: () => client.close() };
}

/** Why the driver would refuse `url` (its own parser, no connection made); undefined if fine. */
export function mongoUrlProblem(url: string): string | undefined {
  try {
    new MongoClient(url);
    return undefined;
  } catch (error) {
    // The driver's messages name the option at fault; they never contain the password.
    return error instanceof Error ? error.message : String(error);
  }
}

function databaseName(url: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(url)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

/** The open connection, in the application's container (READ_MODELS=mongodb). */
export const MONGO_CONNECTION = Symbol('MongoConnection');
