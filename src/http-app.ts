import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type {
  DynamicModule,
  INestApplication,
  LogLevel,
  NestApplicationOptions,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, type AppOverrides } from './app.module';
import type { AppConfig } from './config/config';
import { isUsageBatchRequest } from './usage';
import { answerClientError } from './http/client-error';
import { requestIdOf, type PlatformNeutralRequest } from './http/http-request';
import { jsonBodyReader, type JsonBodyReader } from './http/json-body-reader';
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
 * (body parsing and its limit, headers) live here and nowhere else. Both platforms read JSON
 * bodies with the same reader and answer malformed HTTP with the same handler, so that the same
 * request gets the same answer on either.
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

/** Node's default `maxHeaderSize`: the request line and headers together. */
const MAX_REQUEST_HEAD_BYTES = 16_384;

async function createExpressApp(module: DynamicModule, config: AppConfig, logger: Logger) {
  const app = await NestFactory.create<NestExpressApplication>(module, new LeanExpressAdapter(), {
    bodyParser: false,
    logger,
  });
  app.use(bodyReader(config));
  app.getHttpServer().on('clientError', answerClientError);
  app.disable('x-powered-by');
  // Fastify sends no ETag; neither does Express then, which spares a SHA-1 of every body.
  app.set('etag', false);
  return app;
}

/** One reader for every JSON body; usage batches get their own limit. */
function bodyReader(config: AppConfig): JsonBodyReader {
  const usageBatches = { bytes: config.usage.bodyBytes, applies: isUsageBatchRequest };
  return jsonBodyReader({ bytes: config.limits.bodyBytes, larger: usageBatches });
}

async function createFastifyApp(module: DynamicModule, config: AppConfig, logger: Logger) {
  // No Nest middleware is configured, so @fastify/middie (an onRequest hook run on every
  // request) is left out; configuring middleware would fail at start, not silently.
  const adapter = new FastifyAdapter({
    bodyLimit: config.limits.bodyBytes,
    skipMiddie: true,
    clientErrorHandler: answerClientError,
    // Fastify answers a path parameter over 100 chars with its own 414 before any route; Express
    // has no such limit (Node's 16 KiB for the request head bounds both), and the route's
    // validation answers 400 with the error shape on both.
    routerOptions: { maxParamLength: MAX_REQUEST_HEAD_BYTES },
    frameworkErrors: answerBadUrl,
  });
  const fastify = adapter.getInstance();
  // JSON.stringify as Fastify's default, but an unchanging answer is serialised only once.
  fastify.setReplySerializer((payload) => jsonText(payload as object));
  // The Express reader in place of Fastify's JSON parser, which ignores Content-Encoding and
  // the charset, takes `null` and any depth. Nest's own parsers are left out (`bodyParser:
  // false`), its urlencoded one with them: a form body is refused with 415 before the route, as
  // any non-JSON one. Fastify hands the raw request to the reader, which applies the limits.
  const read = bodyReader(config);
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', (request, _payload, done) => {
    const raw = request.raw as IncomingMessage & { body?: unknown };
    read(raw, undefined, (error) =>
      error === undefined ? done(null, raw.body) : done(error as Error),
    );
  });
  return NestFactory.create<NestFastifyApplication>(module, adapter, { logger, bodyParser: false });
}

/**
 * Fastify answers a URL it cannot decode (`%`, `%zz`) before any route, with a body quoting the
 * URL, and so any key in it; Express's answer (the exception filter's for a framework 400)
 * instead.
 */
function answerBadUrl(_error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const requestId = requestIdOf(request as unknown as PlatformNeutralRequest);
  const body = { error: 'Bad request', code: 'VALIDATION_FAILED', requestId };
  void reply.status(400).header('X-Request-Id', requestId).send(body);
}
