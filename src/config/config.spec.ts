import { auditSigningKeyFile, ConfigError, loadConfig, sqliteFile } from './config';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/keyledger');
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: '/srv/keyledger/data',
      eventStore: 'sqlite',
      readModels: { kind: 'memory' },
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
    [
      { EVENT_STORE: 'postgres' },
      'EVENT_STORE must be one of sqlite, eventstoredb (got "postgres")',
    ],
    [{ READ_MODELS: 'redis' }, 'READ_MODELS must be one of memory, mongodb (got "redis")'],
    [
      { READ_MODELS: 'mongodb' },
      'MONGODB_URL must be set when READ_MODELS is mongodb (e.g. mongodb://localhost:27017/keyledger)',
    ],
    [
      { READ_MODELS: 'mongodb', MONGODB_URL: 'http://user:hunter2@db:27017' },
      'MONGODB_URL must be a mongodb:// or mongodb+srv:// connection string (got "http://user:***@db:27017")',
    ],
    [
      { READ_MODELS: 'mongodb', MONGODB_URL: 'mongodb://user:hunter2@db:99999/kl' },
      'MONGODB_URL is not a valid connection string: Unable to parse db:99999 with URL',
    ],
    [
      { READ_MODELS: 'mongodb', MONGODB_URL: 'mongodb://db/kl', MONGODB_LEASE_TTL_MS: '10' },
      'MONGODB_LEASE_TTL_MS must be an integer from 300 to 600000 (got "10")',
    ],
    [{ DEFAULT_KEY_PREFIX: 'Kl' }, 'DEFAULT_KEY_PREFIX must match [a-z][a-z0-9]{1,11} (got "Kl")'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of error, warn, log, debug (got "verbose")'],
    [
      { BODY_LIMIT_BYTES: '10' },
      'BODY_LIMIT_BYTES must be an integer from 1024 to 1048576 (got "10")',
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  describe('read models', () => {
    it('keeps them in memory unless READ_MODELS says mongodb', () => {
      expect(loadConfig({ MONGODB_URL: 'mongodb://db/kl' }).readModels).toEqual({ kind: 'memory' });
    });

    it('reads MONGODB_URL and the lease and cache settings, with defaults', () => {
      const url = 'mongodb://user:pw@db1:27017,db2:27017/keyledger?replicaSet=rs0';
      expect(loadConfig({ READ_MODELS: 'mongodb', MONGODB_URL: url }).readModels).toEqual({
        kind: 'mongodb',
        url,
        leaseTtlMs: 10_000,
        cacheMaxKeys: 100_000,
        negativeCacheMs: 1000,
      });
      const tuned = loadConfig({
        READ_MODELS: 'mongodb',
        MONGODB_URL: 'mongodb+srv://cluster.example.com/kl',
        MONGODB_LEASE_TTL_MS: '3000',
        VERIFY_CACHE_MAX_KEYS: '5000',
        VERIFY_NEGATIVE_CACHE_MS: '0',
      }).readModels;
      expect(tuned).toMatchObject({ leaseTtlMs: 3000, cacheMaxKeys: 5000, negativeCacheMs: 0 });
    });
  });

  describe('usage recording', () => {
    it('flushes every second, bounds the buffer, keeps minutes 48 h, hours 90 days, days forever', () => {
      const { usage } = loadConfig({});
      expect(usage).toEqual({
        instanceId: expect.stringMatching(/^[0-9a-f]{12}$/),
        flushIntervalMs: 1000,
        bufferMaxEntries: 100_000,
        bodyBytes: 1_048_576,
        retention: { minuteHours: 48, hourDays: 90, dayDays: 0 },
      });
      expect(loadConfig({}).usage.instanceId).not.toBe(usage.instanceId);
    });

    it('reads every USAGE_ variable', () => {
      const usage = loadConfig({
        USAGE_INSTANCE_ID: 'web-1',
        USAGE_FLUSH_INTERVAL_MS: '250',
        USAGE_BUFFER_MAX_ENTRIES: '500',
        USAGE_BODY_LIMIT_BYTES: '2048',
        USAGE_MINUTE_RETENTION_HOURS: '24',
        USAGE_HOUR_RETENTION_DAYS: '30',
        USAGE_DAY_RETENTION_DAYS: '365',
      }).usage;
      expect(usage).toEqual({
        instanceId: 'web-1',
        flushIntervalMs: 250,
        bufferMaxEntries: 500,
        bodyBytes: 2048,
        retention: { minuteHours: 24, hourDays: 30, dayDays: 365 },
      });
    });

    it.each([
      [
        { USAGE_INSTANCE_ID: 'Web_1' },
        'USAGE_INSTANCE_ID must match [a-z0-9][a-z0-9-]{0,39} (got "Web_1")',
      ],
      [
        { USAGE_FLUSH_INTERVAL_MS: '0' },
        'USAGE_FLUSH_INTERVAL_MS must be an integer from 10 to 60000 (got "0")',
      ],
      [
        { USAGE_BUFFER_MAX_ENTRIES: '1' },
        'USAGE_BUFFER_MAX_ENTRIES must be an integer from 2 to 10000000 (got "1")',
      ],
      [
        { USAGE_MINUTE_RETENTION_HOURS: '1' },
        'USAGE_MINUTE_RETENTION_HOURS must be an integer from 2 to 8760 (got "1")',
      ],
      [
        { USAGE_DAY_RETENTION_DAYS: 'forever' },
        'USAGE_DAY_RETENTION_DAYS must be an integer from 0 to 36500 (got "forever")',
      ],
    ])('refuses %j', (env, message) => {
      expect(() => loadConfig(env)).toThrow(new ConfigError(message));
    });
  });

  describe('audit checkpoints', () => {
    it('seal every 1000 events or every minute, with a key file in the data directory', () => {
      const config = loadConfig({}, '/srv/keyledger');
      expect(config.audit).toEqual({
        sealer: 'on',
        sealEveryEvents: 1000,
        sealIntervalMs: 60_000,
        signingKeyFile: null,
      });
      expect(auditSigningKeyFile(config)).toBe('/srv/keyledger/data/audit-signing-key.pem');
      expect(auditSigningKeyFile({ ...config, dataDir: '/tmp/x' })).toBe(
        '/tmp/x/audit-signing-key.pem',
      );
      expect(auditSigningKeyFile(loadConfig({ DATA_DIR: ':memory:' }))).toBeNull();
    });

    it('reads AUDIT_SEALER, AUDIT_SEAL_EVERY_EVENTS, AUDIT_SEAL_INTERVAL_MS, AUDIT_SIGNING_KEY_FILE', () => {
      const env = {
        DATA_DIR: ':memory:',
        AUDIT_SEAL_EVERY_EVENTS: '50',
        AUDIT_SEAL_INTERVAL_MS: '2500',
        AUDIT_SIGNING_KEY_FILE: 'secrets/audit.pem',
        AUDIT_SEALER: 'off',
      };
      const config = loadConfig(env, '/etc/kl');
      expect(config.audit).toEqual({
        sealer: 'off',
        sealEveryEvents: 50,
        sealIntervalMs: 2500,
        signingKeyFile: '/etc/kl/secrets/audit.pem',
      });
      expect(auditSigningKeyFile(config)).toBe('/etc/kl/secrets/audit.pem');
    });

    it.each([
      [
        { AUDIT_SEAL_EVERY_EVENTS: '0' },
        'AUDIT_SEAL_EVERY_EVENTS must be an integer from 1 to 100000 (got "0")',
      ],
      [{ AUDIT_SEALER: 'no' }, 'AUDIT_SEALER must be one of on, off (got "no")'],
      [
        { AUDIT_SEAL_INTERVAL_MS: '5s' },
        'AUDIT_SEAL_INTERVAL_MS must be an integer from 100 to 86400000 (got "5s")',
      ],
    ])('refuses %j', (env, message) => {
      expect(() => loadConfig(env)).toThrow(new ConfigError(message));
    });
  });

  describe('event store selection', () => {
    it('uses SQLite, with no URL, unless told otherwise, even when EVENTSTORE_URL is set', () => {
      expect(loadConfig({})).toMatchObject({ eventStore: 'sqlite', eventStoreUrl: null });
      const ignored = loadConfig({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' });
      expect(ignored).toMatchObject({ eventStore: 'sqlite', eventStoreUrl: null });
    });

    it.each(['esdb://localhost:2113?tls=false', 'esdb+discover://admin:changeit@cluster.local'])(
      'takes EVENT_STORE=eventstoredb with EVENTSTORE_URL %s',
      (url) => {
        const config = loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: url });
        expect(config).toMatchObject({ eventStore: 'eventstoredb', eventStoreUrl: url });
      },
    );

    it.each([
      [
        { EVENT_STORE: 'eventstoredb' },
        'EVENTSTORE_URL must be set when EVENT_STORE is eventstoredb (e.g. esdb://localhost:2113?tls=false)',
      ],
      [
        { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: '  ' },
        'EVENTSTORE_URL must be set when EVENT_STORE is eventstoredb (e.g. esdb://localhost:2113?tls=false)',
      ],
      [
        { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'https://admin:changeit@db:2113' },
        'EVENTSTORE_URL must be an esdb:// or esdb+discover:// connection string (got "https://admin:***@db:2113")',
      ],
      [
        { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://admin:changeit@db:2113?tls=maybe' },
        'EVENTSTORE_URL is not a valid connection string: Unexpected "maybe" at position 34, expected true or false.',
      ],
    ])('refuses %j, never echoing a password', (env, message) => {
      expect(() => loadConfig(env)).toThrow(new ConfigError(message));
    });
  });
});
