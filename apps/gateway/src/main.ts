import 'reflect-metadata';
import './tracing';
import { serveMetricsOn } from '@tandem/platform/http';
import { createLogger, initMetrics } from '@tandem/platform/observability';
import { loadGatewayConfig, SERVICE_NAME } from './config';
import { createGateway } from './gateway';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  initMetrics(SERVICE_NAME);
  const app = await createGateway(config, logger);
  await app.listen(config.PORT, '0.0.0.0');
  await serveMetricsOn(config.METRICS_PORT, logger);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  logger.info(
    {
      url,
      upstreams: {
        command: config.COMMAND_SERVICE_URL,
        query: config.QUERY_SERVICE_URL,
        projection: config.PROJECTION_SERVICE_URL,
      },
    },
    `gateway listening on ${url} (API docs at ${url}/api/docs)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
