import { isAbsolute, join, resolve } from 'node:path';

/** Everything the service reads from its environment, validated once at boot. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** The HTTP platform under the same controllers, guards and filter. */
  readonly httpPlatform: 'express' | 'fastify';
  /** Where the embedded defaults keep their files; `:memory:` keeps nothing (tests). */
  readonly dataDir: string;
  readonly eventStore: 'sqlite';
  readonly readModels: 'memory';
  readonly defaultKeyPrefix: string;
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug';
  readonly limits: {
    readonly bodyBytes: number;
    readonly listPageMax: number;
    /** How often the SQLite store looks for events written by another process (e.g. the CLI). */
    readonly sqlitePollMs: number;
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
    eventStore: oneOf(env, 'EVENT_STORE', ['sqlite'] as const, 'sqlite'),
    readModels: oneOf(env, 'READ_MODELS', ['memory'] as const, 'memory'),
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
  };
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
