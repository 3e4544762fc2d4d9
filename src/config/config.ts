import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { connectionStringProblem } from '../event-store/eventstoredb/connection-string';
import { mongoUrlProblem } from '../projections/mongodb/mongo-connection';
import { redactUrlPassword } from '../shared/redact-url';

/** Everything the service reads from its environment, validated once at boot. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** The HTTP platform under the same controllers, guards and filter. */
  readonly httpPlatform: 'express' | 'fastify';
  /** Where the embedded defaults keep their files; `:memory:` keeps nothing (tests). */
  readonly dataDir: string;
  readonly eventStore: 'sqlite' | 'eventstoredb';
  /** EVENTSTORE_URL, e.g. `esdb://localhost:2113?tls=false`; set iff `eventStore` is eventstoredb. */
  readonly eventStoreUrl: string | null;
  readonly readModels: ReadModelsConfig;
  readonly defaultKeyPrefix: string;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
  readonly limits: {
    readonly bodyBytes: number;
    readonly listPageMax: number;
    /** How often the SQLite store looks for events written by another process (e.g. the CLI). */
    readonly sqlitePollMs: number;
  };
  readonly usage: UsageConfig;
  readonly audit: AuditConfig;
}

/**
 * Where read models live: in this process's memory (rebuilt at every start), or in MongoDB,
 * shared by every instance, with a verification cache in front of it on each.
 */
export type ReadModelsConfig =
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'mongodb';
      /** MONGODB_URL, e.g. `mongodb://localhost:27017/keyledger`. */
      readonly url: string;
      /** How long the projection writer's lease lasts without renewal (renewed every third). */
      readonly leaseTtlMs: number;
      /** Most keys (known or unknown) the verification cache holds. */
      readonly cacheMaxKeys: number;
      /** How long an unknown key hash is answered NOT_FOUND without asking MongoDB again. */
      readonly negativeCacheMs: number;
    };

/** Audit checkpoints (issue 5): how often the sealer seals, and the key it signs with. */
export interface AuditConfig {
  /** Whether the server seals in the background (`AUDIT_SEALER=off`: only `audit seal` does). */
  readonly sealer: 'on' | 'off';
  /** Seal as soon as this many events are unsealed; also the most events one checkpoint covers. */
  readonly sealEveryEvents: number;
  /** Seal whatever is unsealed at least this often. */
  readonly sealIntervalMs: number;
  /** AUDIT_SIGNING_KEY_FILE; null: the default of `auditSigningKeyFile`. */
  readonly signingKeyFile: string | null;
}

/** Usage recording (issue 4): the in-memory buffer, its flushes and how long buckets are kept. */
export interface UsageConfig {
  /** Names this process's usage streams (`usage-<instanceId>-<yyyymmdd>`); one writer each. */
  readonly instanceId: string;
  readonly flushIntervalMs: number;
  /** Most distinct counters (key × endpoint × status class × minute) held in memory. */
  readonly bufferMaxEntries: number;
  /** Largest POST /v1/usage body: a full batch of 1000 entries does not fit the general limit. */
  readonly bodyBytes: number;
  readonly retention: {
    readonly minuteHours: number;
    readonly hourDays: number;
    /** 0 keeps day buckets forever. */
    readonly dayDays: number;
  };
}

export const APP_CONFIG = Symbol('AppConfig');

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env, cwd = process.cwd()): AppConfig {
  const dataDir = text(env, 'DATA_DIR', './data');
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host: text(env, 'HOST', '0.0.0.0'),
    httpPlatform: oneOf(env, 'HTTP_PLATFORM', ['express', 'fastify'] as const, 'express'),
    dataDir: dataDir === ':memory:' || isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    ...eventStoreConfig(env),
    readModels: readModelsConfig(env),
    defaultKeyPrefix: pattern(
      env,
      'DEFAULT_KEY_PREFIX',
      'kl',
      /^[a-z][a-z0-9]{1,11}$/,
      '[a-z][a-z0-9]{1,11}',
    ),
    logLevel: oneOf(env, 'LOG_LEVEL', ['error', 'warn', 'log', 'debug'] as const, 'log'),
    limits: {
      bodyBytes: integer(env, 'BODY_LIMIT_BYTES', 65_536, 1024, 1_048_576),
      listPageMax: integer(env, 'LIST_PAGE_MAX', 100, 1, 1000),
      sqlitePollMs: integer(env, 'SQLITE_POLL_MS', 100, 5, 10_000),
    },
    usage: {
      instanceId: pattern(
        env,
        'USAGE_INSTANCE_ID',
        randomBytes(6).toString('hex'),
        /^[a-z0-9][a-z0-9-]{0,39}$/,
        '[a-z0-9][a-z0-9-]{0,39}',
      ),
      flushIntervalMs: integer(env, 'USAGE_FLUSH_INTERVAL_MS', 1000, 10, 60_000),
      bufferMaxEntries: integer(env, 'USAGE_BUFFER_MAX_ENTRIES', 100_000, 2, 10_000_000),
      bodyBytes: integer(env, 'USAGE_BODY_LIMIT_BYTES', 1_048_576, 1024, 16_777_216),
      retention: {
        minuteHours: integer(env, 'USAGE_MINUTE_RETENTION_HOURS', 48, 2, 8760),
        hourDays: integer(env, 'USAGE_HOUR_RETENTION_DAYS', 90, 2, 3650),
        dayDays: integer(env, 'USAGE_DAY_RETENTION_DAYS', 0, 0, 36_500),
      },
    },
    audit: auditConfig(env, cwd),
  };
}

function readModelsConfig(env: Env): ReadModelsConfig {
  const kind = oneOf(env, 'READ_MODELS', ['memory', 'mongodb'] as const, 'memory');
  if (kind === 'memory') return { kind };
  const url = env.MONGODB_URL?.trim();
  if (!url) {
    throw new ConfigError(
      'MONGODB_URL must be set when READ_MODELS is mongodb (e.g. mongodb://localhost:27017/keyledger)',
    );
  }
  if (!/^mongodb(\+srv)?:\/\//.test(url)) {
    throw new ConfigError(
      `MONGODB_URL must be a mongodb:// or mongodb+srv:// connection string (got "${redactUrlPassword(url)}")`,
    );
  }
  const problem = mongoUrlProblem(url);
  if (problem) throw new ConfigError(`MONGODB_URL is not a valid connection string: ${problem}`);
  return {
    kind,
    url,
    leaseTtlMs: integer(env, 'MONGODB_LEASE_TTL_MS', 10_000, 300, 600_000),
    cacheMaxKeys: integer(env, 'VERIFY_CACHE_MAX_KEYS', 100_000, 1, 100_000_000),
    negativeCacheMs: integer(env, 'VERIFY_NEGATIVE_CACHE_MS', 1000, 0, 600_000),
  };
}

function auditConfig(env: Env, cwd: string): AuditConfig {
  const keyFile = text(env, 'AUDIT_SIGNING_KEY_FILE', '');
  return {
    sealer: oneOf(env, 'AUDIT_SEALER', ['on', 'off'] as const, 'on'),
    sealEveryEvents: integer(env, 'AUDIT_SEAL_EVERY_EVENTS', 1000, 1, 100_000),
    sealIntervalMs: integer(env, 'AUDIT_SEAL_INTERVAL_MS', 60_000, 100, 86_400_000),
    signingKeyFile: keyFile === '' ? null : resolve(cwd, keyFile),
  };
}

/**
 * The Ed25519 private key (PKCS#8 PEM) that signs audit checkpoints, generated there on first
 * start: AUDIT_SIGNING_KEY_FILE, else `audit-signing-key.pem` in DATA_DIR; null (an ephemeral
 * key) for DATA_DIR=:memory:. Derived here, not at load, so a test that swaps dataDir follows.
 */
export function auditSigningKeyFile(config: Pick<AppConfig, 'dataDir' | 'audit'>): string | null {
  if (config.audit.signingKeyFile !== null) return config.audit.signingKeyFile;
  return config.dataDir === ':memory:' ? null : join(config.dataDir, 'audit-signing-key.pem');
}

/** EVENT_STORE and, for eventstoredb, its required EVENTSTORE_URL (ignored for sqlite). */
function eventStoreConfig(env: Env): Pick<AppConfig, 'eventStore' | 'eventStoreUrl'> {
  const eventStore = oneOf(env, 'EVENT_STORE', ['sqlite', 'eventstoredb'] as const, 'sqlite');
  if (eventStore === 'sqlite') return { eventStore, eventStoreUrl: null };
  const url = env.EVENTSTORE_URL?.trim();
  if (!url) {
    throw new ConfigError(
      'EVENTSTORE_URL must be set when EVENT_STORE is eventstoredb (e.g. esdb://localhost:2113?tls=false)',
    );
  }
  if (!/^esdb(\+discover)?:\/\/[^\s/?#]+/.test(url)) {
    throw new ConfigError(
      `EVENTSTORE_URL must be an esdb:// or esdb+discover:// connection string (got "${redactUrlPassword(url)}")`,
    );
  }
  const problem = connectionStringProblem(url);
  if (problem) throw new ConfigError(`EVENTSTORE_URL is not a valid connection string: ${problem}`);
  return { eventStore, eventStoreUrl: url };
}

export function sqliteFile(config: Pick<AppConfig, 'dataDir'>): string {
  return config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'events.sqlite');
}

function text(env: Env, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function pattern(env: Env, name: string, fallback: string, re: RegExp, shown: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!re.test(raw)) throw new ConfigError(`${name} must match ${shown} (got "${raw}")`);
  return raw;
}
