import { userInfo } from 'node:os';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';
import { keyView } from '../keys';
import { KEY_DIRECTORY, type KeyDirectory } from '../keys';
import { CreateRootKeyCommand } from '../root-keys';
import type { IssuedRootKey } from '../root-keys';
import { RevokeRootKeyCommand } from '../root-keys';
import type { CommandContext } from '../shared/command-context';
import { randomIds } from '../shared/ids';
import { CreateTenantCommand } from '../tenants';
import type { TenantView } from '../tenants';
import { registerAuditCommands } from './audit-commands';
import type { ProgressSink } from './progress';
import { registerReplayCommand } from './replay-command';

export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  write(text: string): void;
  /** Where messages and progress go (stderr); default: `write`. */
  readonly stderr?: ProgressSink;
}

/** The `keyledger` command line: the same command handlers and data directory as the server. */
export function createCli(io: CliIo): Command {
  const write = (text: string) => io.write(text);

  /** Runs `work` in an application context without HTTP, on the configured data directory. */
  async function withApp<T>(
    work: (app: INestApplicationContext, context: CommandContext) => Promise<T>,
  ): Promise<T> {
    // No background sealing in a short-lived CLI process: the server seals (`audit seal` on demand).
    const module = AppModule.forRoot(loadConfig(io.env), { backgroundSealing: false });
    const app = await NestFactory.createApplicationContext(module, { logger: ['error'] });
    try {
      const context: CommandContext = {
        actor: { type: 'cli', id: userInfo().username },
        requestId: randomIds.uuid(),
      };
      return await work(app, context);
    } finally {
      await app.close();
    }
  }

  const list = (value: string): string[] =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const program = new Command('keyledger')
    .description('Keyledger: API keys with a verifiable audit log')
    .exitOverride();

  const rootKey = program
    .command('root-key')
    .description('root keys, the credentials for calling Keyledger itself');
  rootKey
    .command('create')
    .requiredOption('--name <name>', 'a name to recognise the key by')
    .requiredOption('--abilities <list>', "comma-separated abilities, or '*'", list)
    .option('--tenants <list>', "comma-separated tenant ids the key is bound to, or '*'", '*')
    .option('--quiet', 'print only the key (for scripts)')
    .action(
      async (options: { name: string; abilities: string[]; tenants: string; quiet?: boolean }) => {
        const tenants = options.tenants === '*' ? '*' : list(options.tenants);
        const issued = await withApp((app, context) =>
          app
            .get(CommandBus)
            .execute<CreateRootKeyCommand, IssuedRootKey>(
              new CreateRootKeyCommand(
                options.name,
                options.abilities,
                tenants,
                null,
                null,
                context,
              ),
            ),
        );
        if (options.quiet) {
          write(`${issued.plaintext}\n`);
          return;
        }
        const { record } = issued;
        write(
          `Root key ${record.rootKeyId} created (abilities: ${record.abilities.join(',')}; tenants: ${
            record.tenants === '*' ? '*' : record.tenants.join(',')
          }).\nThis is the only time the key is shown; store it now:\n\n${issued.plaintext}\n`,
        );
      },
    );
  rootKey
    .command('revoke <rootKeyId>')
    .option('--reason <text>', 'why the key is revoked')
    .action(async (rootKeyId: string, options: { reason?: string }) => {
      await withApp((app, context) =>
        app
          .get(CommandBus)
          .execute(new RevokeRootKeyCommand(rootKeyId, options.reason ?? null, null, context)),
      );
      write(`Root key ${rootKeyId} revoked.\n`);
    });

  program
    .command('tenants')
    .description('tenants, one per customer project')
    .command('create <tenantId>')
    .requiredOption('--name <name>', 'display name')
    .option('--key-prefix <prefix>', 'prefix of the tenant keys (default: DEFAULT_KEY_PREFIX)')
    .action(async (tenantId: string, options: { name: string; keyPrefix?: string }) => {
      const tenant = await withApp((app, context) =>
        app
          .get(CommandBus)
          .execute<CreateTenantCommand, TenantView>(
            new CreateTenantCommand(tenantId, options.name, options.keyPrefix, context),
          ),
      );
      write(`Tenant ${tenant.tenantId} created (key prefix: ${tenant.keyPrefix}).\n`);
    });

  program
    .command('keys')
    .description('API keys of a tenant')
    .command('list')
    .requiredOption('--tenant <tenantId>')
    .option('--status <status>', 'active, revoked or expired')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        tenant: string;
        status?: 'active' | 'revoked' | 'expired';
        json?: boolean;
      }) => {
        const now = new Date();
        const keys = await withApp(async (app) => {
          const directory = app.get<KeyDirectory>(KEY_DIRECTORY);
          const all = [];
          let cursor: string | undefined;
          do {
            const page = await directory.list(
              { tenantId: options.tenant, status: options.status, limit: 1000, cursor },
              now,
            );
            all.push(...page.items.map((record) => keyView(record, now)));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          return all;
        });
        if (options.json) {
          write(`${JSON.stringify(keys, null, 2)}\n`);
          return;
        }
        if (keys.length === 0) write('No keys.\n');
        for (const k of keys) {
          write(
            `${k.id}  ${k.status.padEnd(7)}  ${k.environment.padEnd(4)}  ${k.hint}  ${k.name}\n`,
          );
        }
      },
    );

  const stderr = io.stderr ?? { write };
  registerAuditCommands(program, { write, stderr, withApp });
  registerReplayCommand(program, { write, withApp });

  return program;
}
