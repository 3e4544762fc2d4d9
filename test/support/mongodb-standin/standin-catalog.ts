import { StandInCollection } from './standin-collection';
import { StandInCommandError } from './standin-errors';

/**
 * Every database and collection the stand-in holds, in memory. A database exists while it
 * has a collection; a collection comes into being at its first write or index, as in MongoDB.
 */
export class StandInCatalog {
  private readonly databases = new Map<string, Map<string, StandInCollection>>();

  collection(database: string, name: string): StandInCollection | undefined {
    return this.databases.get(database)?.get(name);
  }

  /** The collection, created when missing; reports whether it was. */
  ensureCollection(
    database: string,
    name: string,
  ): { collection: StandInCollection; created: boolean } {
    const existing = this.collection(database, name);
    if (existing) return { collection: existing, created: false };
    validateName(database, name);
    const collections = this.databases.get(database) ?? new Map<string, StandInCollection>();
    this.databases.set(database, collections);
    const collection = new StandInCollection(database, name);
    collections.set(name, collection);
    return { collection, created: true };
  }

  collections(database: string): StandInCollection[] {
    return [...(this.databases.get(database)?.values() ?? [])];
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  dropCollection(database: string, name: string): StandInCollection | undefined {
    const collections = this.databases.get(database);
    const collection = collections?.get(name);
    collections?.delete(name);
    if (collections?.size === 0) this.databases.delete(database);
    return collection;
  }

  dropDatabase(database: string): void {
    this.databases.delete(database);
  }
}

function validateName(database: string, name: string): void {
  if (database === '' || /[/\\. "$\0]/.test(database)) {
    throw new StandInCommandError('InvalidNamespace', `Invalid database name: '${database}'`);
  }
  if (name === '' || name.includes('$') || name.includes('\0') || name.startsWith('system.')) {
    throw new StandInCommandError(
      'InvalidNamespace',
      `Invalid collection name: ${database}.${name}`,
    );
  }
}
