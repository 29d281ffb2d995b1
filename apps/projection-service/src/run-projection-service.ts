import 'reflect-metadata';
// Before the application: OpenTelemetry patches http's and pg's prototypes as they are next required, which also
// reaches the packages main.ts preloaded and the server it already listens on.
import './tracing';
import { serveMetricsOn } from '@tandem/platform/http';
import { createLogger, initMetrics } from '@tandem/platform/observability';
import { loadMigrateConfig, loadProjectionServiceConfig, SERVICE_NAME } from './config';
import { migrateOnly } from './migrate';
import { createProjectionService } from './projection-service';
import { listenWhileStarting, type StartingServer } from './starting-server';

/**
 * The projection service's process, once its port is open (`main.ts`): configuration, then the application on that
 * server, then the consumer groups. `migrate` applies the read-DB migrations and returns.
 */
export async function runProjectionService(command: string | undefined, early: StartingServer | null) {
  if (command === 'migrate') {
    const migrate = loadMigrateConfig();
    await migrateOnly(migrate, createLogger(SERVICE_NAME, migrate.LOG_LEVEL));
    return;
  }
  const config = loadProjectionServiceConfig();
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const starting = early ?? (await listenWhileStarting(config.PORT, '0.0.0.0'));
  logger.info(`projection service listening on port ${config.PORT}`);
  const loadingFrom = Date.now();
  initMetrics(SERVICE_NAME);
  await serveMetricsOn(config.METRICS_PORT, logger);
  const service = await createProjectionService(config, logger);
  await service.serveOn(starting);
  logger.info({ loadedInMs: Date.now() - loadingFrom }, 'projection service application loaded');
  const joiningFrom = Date.now();
  await service.start();
  logger.info(
    { projections: service.runner.names(), joinedInMs: Date.now() - joiningFrom },
    'projection service consuming',
  );
}
