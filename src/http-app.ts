import { NestFactory } from '@nestjs/core';
import type {
  DynamicModule,
  INestApplication,
  LogLevel,
  NestApplicationOptions,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppOverrides } from './app.module';
import type { AppConfig } from './config/config';
import { isUsageBatchRequest, USAGE_BATCH_ROUTE } from './usage';
import { jsonBodyReader } from './http/json-body-reader';
import { jsonText } from './http/json-text';
import { LeanExpressAdapter } from './http/lean-express-adapter';

const LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * Builds and initialises the HTTP application on `config.httpPlatform`: the same module,
 * controllers, guards, pipes and filter on Express and on Fastify. The platform-specific lines
 * (body parsing and its limit, headers) live here and nowhere else.
 */
export async function createHttpApp(
  config: AppConfig,
  overrides: AppOverrides = {},
  options: Pick<NestApplicationOptions, 'logger'> = {},
): Promise<INestApplication> {
  const module = AppModule.forRoot(config, overrides);
  const logger = options.logger ?? LOG_LEVELS[config.logLevel];
  const app =
    config.httpPlatform === 'fastify'
      ? await createFastifyApp(module, config, logger)
      : await createExpressApp(module, config, logger);
  app.enableShutdownHooks();
  await app.init();
  if (config.httpPlatform === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return app;
}

type Logger = NestApplicationOptions['logger'];

async function createExpressApp(module: DynamicModule, config: AppConfig, logger: Logger) {
  const app = await NestFactory.create<NestExpressApplication>(module, new LeanExpressAdapter(), {
    bodyParser: false,
    logger,
  });
  // One reader for every JSON body; usage batches get their own limit.
  const usageBatches = { bytes: config.usage.bodyBytes, applies: isUsageBatchRequest };
  app.use(jsonBodyReader({ bytes: config.limits.bodyBytes, larger: usageBatches }));
  app.disable('x-powered-by');
  // Fastify sends no ETag; neither does Express then, which spares a SHA-1 of every body.
  app.set('etag', false);
  return app;
}

async function createFastifyApp(module: DynamicModule, config: AppConfig, logger: Logger) {
  // No Nest middleware is configured, so @fastify/middie (an onRequest hook run on every
  // request) is left out; configuring middleware would fail at start, not silently.
  const adapter = new FastifyAdapter({ bodyLimit: config.limits.bodyBytes, skipMiddie: true });
  const fastify = adapter.getInstance();
  // JSON.stringify as Fastify's default, but an unchanging answer is serialised only once.
  fastify.setReplySerializer((payload) => jsonText(payload as object));
  // A route's own bodyLimit wins over the parser's: usage batches get theirs.
  fastify.addHook('onRoute', (route) => {
    const { method, path } = USAGE_BATCH_ROUTE;
    if (route.url === path && route.method === method) route.bodyLimit = config.usage.bodyBytes;
  });
  // Fastify's own JSON parser (the one a bare Fastify app uses), not Nest's wrapper around it,
  // which reads each body into a Buffer and builds a parser per request. Nest's urlencoded
  // parser goes with it: a form body is refused with 415 before the route, as any non-JSON one.
  return NestFactory.create<NestFastifyApplication>(module, adapter, { logger, bodyParser: false });
}
