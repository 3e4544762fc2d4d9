import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/config';
import { createHttpApp } from './http-app';
import { DomainError } from './shared/errors';
import { redactUrlPassword } from './shared/redact-url';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createHttpApp(config);
  await app.listen(config.port, config.host);
  const where =
    config.eventStoreUrl !== null
      ? redactUrlPassword(config.eventStoreUrl)
      : config.dataDir === ':memory:'
        ? 'in memory'
        : config.dataDir;
  new Logger('Keyledger').log(
    `Listening on http://${config.host}:${config.port} (event store: ${config.eventStore}, data: ${where})`,
  );
}

main().catch((error: unknown) => {
  // One clear line, no stack trace, for configuration mistakes and deliberate start failures
  // (a configured server that cannot be reached); the full error otherwise.
  if (error instanceof ConfigError) console.error(`keyledger: ${error.message}`);
  else if (error instanceof DomainError) console.error(`keyledger: ${error.message}`);
  else console.error('keyledger: failed to start:', error);
  process.exit(1);
});
