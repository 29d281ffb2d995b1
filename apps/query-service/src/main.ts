import 'reflect-metadata';
import './tracing';
import { serveMetricsOn } from '@tandem/platform/http';
import { createLogger, initMetrics } from '@tandem/platform/observability';
import { loadQueryServiceConfig, SERVICE_NAME } from './config';
import { createQueryService } from './query-service';

async function main(): Promise<void> {
  const config = loadQueryServiceConfig();
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  if (process.argv[2] === 'migrate') {
    // The projection service owns the read schema; this service has no migrations of its own to run.
    logger.info('query-service has no migrations: run `projection-service/main.js migrate`');
    return;
  }
  initMetrics(SERVICE_NAME);
  const app = await createQueryService(config, logger);
  await app.listen(config.PORT, '0.0.0.0');
  await serveMetricsOn(config.METRICS_PORT, logger);
  logger.info({ url: await app.getUrl() }, `query service listening on port ${config.PORT}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${SERVICE_NAME} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
