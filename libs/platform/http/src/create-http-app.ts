import { NestFactory } from '@nestjs/core';
import type { INestApplication, Type } from '@nestjs/common';
import type { Logger } from 'pino';
import { NestPinoLogger } from '@tandem/platform/observability';
import { useJsonBodies } from './body-parsing';
import { ProblemDetailsFilter } from './problem-details.filter';
import { useRequestTracking } from './request-tracking';

/**
 * Creates a service's HTTP application the same way everywhere: JSON bodies up to 1 MB, correlation ids,
 * request metrics, problem+json errors, graceful shutdown on SIGTERM.
 */
export async function createHttpApp(module: Type<unknown>, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bodyParser: false, logger: new NestPinoLogger(logger) });
  useRequestTracking(app);
  useJsonBodies(app);
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.enableShutdownHooks();
  const httpAdapter = app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void };
  httpAdapter.disable?.('x-powered-by');
  return app;
}
