import { ConfigError, loadConfig, sqliteFile } from './config';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/keyledger');
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: '/srv/keyledger/data',
      eventStore: 'sqlite',
      readModels: 'memory',
      defaultKeyPrefix: 'kl',
      limits: { bodyBytes: 65_536, listPageMax: 100, sqlitePollMs: 100 },
    });
    expect(sqliteFile(config)).toBe('/srv/keyledger/data/events.sqlite');
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATA_DIR: ':memory:',
      DEFAULT_KEY_PREFIX: 'acme',
      LOG_LEVEL: 'warn',
      BODY_LIMIT_BYTES: '2048',
      LIST_PAGE_MAX: '50',
      SQLITE_POLL_MS: '20',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: ':memory:',
      defaultKeyPrefix: 'acme',
    });
    expect(config.logLevel).toBe('warn');
    expect(config.limits).toEqual({ bodyBytes: 2048, listPageMax: 50, sqlitePollMs: 20 });
    expect(sqliteFile(config)).toBe(':memory:');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ PORT: '-1' }, 'PORT must be an integer from 0 to 65535 (got "-1")'],
    [{ EVENT_STORE: 'postgres' }, 'EVENT_STORE must be one of sqlite (got "postgres")'],
    [{ READ_MODELS: 'redis' }, 'READ_MODELS must be one of memory (got "redis")'],
    [{ DEFAULT_KEY_PREFIX: 'Kl' }, 'DEFAULT_KEY_PREFIX must match [a-z][a-z0-9]{1,11} (got "Kl")'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of error, warn, log, debug (got "verbose")'],
    [
      { BODY_LIMIT_BYTES: '10' },
      'BODY_LIMIT_BYTES must be an integer from 1024 to 1048576 (got "10")',
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
