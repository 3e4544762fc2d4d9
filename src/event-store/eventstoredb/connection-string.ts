import { EventStoreDBClient } from '@eventstore/db-client';

/**
 * What is wrong with an EventStoreDB connection string, by the client's own parser (which does
 * no I/O), or undefined if nothing is. Config validation calls it so that a typo stops the start
 * with one line instead of failing inside the dependency injector. The password, if any, is
 * masked wherever the parser's message quotes it.
 */
export function connectionStringProblem(connectionString: string): string | undefined {
  try {
    EventStoreDBClient.connectionString(connectionString);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const password = /\/\/[^:@/]+:([^@/]+)@/.exec(connectionString)?.[1];
    return password ? message.split(password).join('***') : message;
  }
}
