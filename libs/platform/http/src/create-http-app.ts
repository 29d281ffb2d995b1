import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, Type } from '@nestjs/common';
import type { Logger } from 'pino';
import { NestPinoLogger } from '@tandem/platform/observability';
import { useJsonBodies } from './body-parsing';
import { answerClientErrorsAsProblems } from './client-errors';
import { ProblemDetailsFilter } from './problem-details.filter';
import { useRequestTracking } from './request-tracking';

/**
 * How long an idle kept-alive connection stays open. Load balancers and ingress proxies keep their upstream
 * connections idle for up to 60 s: a server that closed them sooner (Node's default is 5 s) would close one as the
 * proxy reuses it, and the proxy would answer that request with a 502.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Creates a service's HTTP application the same way everywhere: JSON bodies up to 1 MB, correlation ids,
 * request metrics, problem+json errors (Node's own refusals too), graceful shutdown on SIGTERM, idle connections kept longer than proxies
 * keep theirs.
 */
export async function createHttpApp(module: Type<unknown>, logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bodyParser: false, logger: new NestPinoLogger(logger) });
  useRequestTracking(app);
  useJsonBodies(app);
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  // On SIGTERM/SIGINT: unready, drain HTTP, stop the rest, exit 0 (graceful-shutdown.ts; bounded by 25 s).
  app.enableShutdownHooks([], { useProcessExit: true });
  const httpAdapter = app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void };
  httpAdapter.disable?.('x-powered-by');
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed keepAliveTimeout, or a request arriving late on a kept-alive connection can be cut off.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  answerClientErrorsAsProblems(server);
  return app;
}
