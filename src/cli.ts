#!/usr/bin/env node
import 'reflect-metadata';
import { CommanderError } from 'commander';
import { createCli } from './cli/program';
import { ConfigError } from './config/config';
import { DomainError } from './shared/errors';
import { redactKeys } from './shared/key-redaction';

createCli({
  env: process.env,
  write: (text) => process.stdout.write(text),
  stderr: process.stderr,
})
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    if (error instanceof DomainError) {
      const details = error.details?.map((d) => `\n  ${d.field}: ${d.message}`).join('') ?? '';
      console.error(`keyledger: ${error.message}${details}`);
    } else if (error instanceof ConfigError) {
      console.error(`keyledger: ${error.message}`);
    } else {
      // An unexpected error may quote its input; a DomainError is redacted already.
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`keyledger: ${redactKeys(text)}`);
    }
    process.exit(1);
  });
