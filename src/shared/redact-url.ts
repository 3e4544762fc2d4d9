/**
 * A connection string fit for a log line or an error message: the password in its user info,
 * if any, replaced by `***` (`esdb://admin:***@host:2113`).
 */
export function redactUrlPassword(connectionString: string): string {
  return connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
