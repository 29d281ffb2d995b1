import { Global, Module, type INestApplication } from '@nestjs/common';
import { createHttpApp, HealthModule, MetricsController } from '@tandem/platform/http';
import type { Logger } from '@tandem/platform/observability';
import { ProjectionsController } from './admin/projections.controller';
import type { ProjectionServiceConfig } from './config';
import { ProjectionRunner } from './runtime/projection-runner';

export interface ProjectionService {
  app: INestApplication;
  runner: ProjectionRunner;
}

/**
 * Builds the projection service: read DB connected and migrated, HTTP app (health, metrics, admin) created, then
 * the projections started. Closing the app stops the consumers after their batch in flight, then the pool.
 */
export async function createProjectionService(
  config: ProjectionServiceConfig,
  logger: Logger,
): Promise<ProjectionService> {
  const runner = new ProjectionRunner(config, logger);
  await runner.prepareDatabase();

  @Global()
  @Module({ providers: [{ provide: ProjectionRunner, useValue: runner }], exports: [ProjectionRunner] })
  class RuntimeModule {}

  @Module({
    imports: [
      RuntimeModule,
      HealthModule.register({
        inject: [ProjectionRunner],
        useFactory: (r: ProjectionRunner) => r.readinessChecks(),
      }),
    ],
    controllers: [ProjectionsController, MetricsController],
  })
  class ProjectionServiceModule {
    async onApplicationShutdown(): Promise<void> {
      await runner.stop();
    }
  }

  let app: INestApplication;
  try {
    app = await createHttpApp(ProjectionServiceModule, logger);
    await runner.start();
  } catch (error) {
    await runner.stop().catch(() => undefined);
    throw error;
  }
  return { app, runner };
}
