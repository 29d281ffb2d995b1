import type { Server, ServerOptions } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, Type } from '@nestjs/common';
import type { Logger } from 'pino';
import { NestPinoLogger } from '@tandem/platform/observability';
import { useJsonBodies } from './body-parsing';
import { answerClientErrorsAsProblems } from './client-errors';
import { ProblemDetailsFilter } from './problem-details.filter';
import { useRequestTracking } from './request-tracking';
import { applyServerLimits } from './server-limits';

export {
  KEEP_ALIVE_TIMEOUT_MS,
  HEADERS_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  MAX_HEADER_BYTES,
  SERVER_LIMIT_OPTIONS,
  applyServerLimits,
} from './server-limits';

export interface HttpAppOptions {
  /**
   * Middleware for the edge of a public app (security headers, CORS, a per-IP rate limit), run after the
   * correlation id is set and before any body is read: a refused request costs no parsing.
   */
  edge?: (app: INestApplication) => void;
  /** Overrides of the server limits (`server-limits.ts`), for tests that cannot wait for the real ones. */
  serverLimits?: ServerOptions;
}

/**
 * Creates a service's HTTP application the same way everywhere: JSON bodies up to 1 MB, correlation ids,
 * request metrics, problem+json errors (Node's own refusals too), graceful shutdown on SIGTERM, idle connections
 * kept longer than proxies keep theirs, and slow or oversized request headers refused (`server-limits.ts`).
 */
export async function createHttpApp(
  module: Type<unknown>,
  logger: Logger,
  options: HttpAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bodyParser: false, logger: new NestPinoLogger(logger) });
  useRequestTracking(app);
  options.edge?.(app);
  useJsonBodies(app);
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  // On SIGTERM/SIGINT: unready, drain HTTP, stop the rest, exit 0 (graceful-shutdown.ts; bounded by 25 s).
  app.enableShutdownHooks([], { useProcessExit: true });
  const httpAdapter = app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void };
  httpAdapter.disable?.('x-powered-by');
  const server = app.getHttpServer() as Server;
  applyServerLimits(server, options.serverLimits);
  answerClientErrorsAsProblems(server);
  return app;
}
