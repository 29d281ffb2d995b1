import 'reflect-metadata';
import './tracing';
import { createLogger, initMetrics } from '@tandem/platform/observability';
import { loadProjectionServiceConfig, SERVICE_NAME } from './config';
import { migrateOnly } from './migrate';
import { createProjectionService } from './projection-service';

async function main(): Promise<void> {
  const config = loadProjectionServiceConfig();
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  if (process.argv[2] === 'migrate') {
    await migrateOnly(config, logger);
    return;
  }
  initMetrics(SERVICE_NAME);
  const { app, runner } = await createProjectionService(config, logger);
  await app.listen(config.PORT, '0.0.0.0');
  logger.info(
    { url: await app.getUrl(), projections: runner.names() },
    `projection service listening on port ${config.PORT}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${SERVICE_NAME} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
