import type { Server } from 'node:http';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { AbstractHttpAdapter } from '@nestjs/core';
import {
  AccessTokenVerifier,
  assertEveryRouteDeclaresAccess,
  AuthModule,
  verifierOptionsOf,
} from '@tandem/platform/auth';
import { createHttpApp, HealthModule } from '@tandem/platform/http';
import type { Logger } from '@tandem/platform/observability';
import { ProjectionsController } from './admin/projections.controller';
import type { ProjectionServiceConfig } from './config';
import { ProjectionRunner } from './runtime/projection-runner';
import type { StartingServer } from './starting-server';

export interface ProjectionService {
  app: INestApplication;
  runner: ProjectionRunner;
  /**
   * Prepares the read DB (migrations) and joins the consumer groups; resolves once every projection consumes. Call it
   * after `app.listen`: the service is live at once and ready when this resolves (the readiness body says why not).
   */
  start(): Promise<void>;
  /**
   * Serves the app on a server that already listens (main's, open before the app loaded) instead of one of its own:
   * the server takes over the app's timeouts, and the app closes it on shutdown.
   */
  serveOn(starting: StartingServer): Promise<void>;
}

/**
 * Builds the projection service: the HTTP app (health, admin) over a runner that has not connected to
 * anything yet, so it can listen within a second of the process starting. Closing the app stops the consumers after
 * their batch in flight, then the pool.
 */
export async function createProjectionService(
  config: ProjectionServiceConfig,
  logger: Logger,
): Promise<ProjectionService> {
  const runner = new ProjectionRunner(config, logger);

  @Global()
  @Module({ providers: [{ provide: ProjectionRunner, useValue: runner }], exports: [ProjectionRunner] })
  class RuntimeModule {}

  @Module({
    imports: [
      RuntimeModule,
      AuthModule.register(new AccessTokenVerifier(verifierOptionsOf(config))),
      HealthModule.register({
        inject: [ProjectionRunner],
        useFactory: (r: ProjectionRunner) => r.readinessChecks(),
      }),
    ],
    controllers: [ProjectionsController],
  })
  class ProjectionServiceModule {
    async onApplicationShutdown(): Promise<void> {
      await runner.stop();
    }
  }

  const app = await createHttpApp(ProjectionServiceModule, logger);
  assertEveryRouteDeclaresAccess(app);
  return {
    app,
    runner,
    async serveOn(starting) {
      const adapter = app.getHttpAdapter();
      if (!(adapter instanceof AbstractHttpAdapter)) throw new Error('unexpected Nest HTTP adapter');
      const own = app.getHttpServer() as Server;
      starting.server.keepAliveTimeout = own.keepAliveTimeout;
      starting.server.headersTimeout = own.headersTimeout;
      starting.server.requestTimeout = own.requestTimeout;
      adapter.setHttpServer(starting.server);
      await app.init();
      starting.handOver(adapter.getInstance());
    },
    async start() {
      try {
        await Promise.all([runner.prepareDatabase(), runner.connectKafka()]);
        await runner.joinGroups();
      } catch (error) {
        await runner.stop().catch(() => undefined);
        throw error;
      }
    },
  };
}
