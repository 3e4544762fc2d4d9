import { NestFactory } from '@nestjs/core';
import type { LogLevel, NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, type AppOverrides } from '../app.module';
import type { AppConfig } from '../config/config';

const LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * Builds the HTTP application: the same module, guards, pipes and filter whatever the platform.
 * The platform-specific lines (body parser, headers) live here and nowhere else.
 */
export async function createHttpApp(
  config: AppConfig,
  overrides: AppOverrides = {},
  options: Pick<NestApplicationOptions, 'logger'> = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, overrides),
    {
      bodyParser: false,
      logger: options.logger ?? LOG_LEVELS[config.logLevel],
    },
  );
  app.useBodyParser('json', { limit: config.limits.bodyBytes, strict: true });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  return app;
}
