import 'reflect-metadata';
import './tracing';
import { serveMetricsOn } from '@tandem/platform/http';
import { createLogger, initMetrics } from '@tandem/platform/observability';
import { createCommandService, migrateOnly } from './command-service';
import { loadCommandServiceConfig, loadMigrateConfig, SERVICE_NAME } from './config';
import { rebuildInlineModel, UnknownInlineModel } from './inline-rebuild';

async function migrate(): Promise<void> {
  const config = loadMigrateConfig();
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const applied = await migrateOnly(config.WRITE_DATABASE_URL);
  logger.info({ applied }, `write database migrated (${applied.length} applied)`);
}

async function inlineRebuild(model: string | undefined): Promise<void> {
  const config = loadMigrateConfig();
  try {
    await rebuildInlineModel(config.WRITE_DATABASE_URL, model, createLogger(SERVICE_NAME, config.LOG_LEVEL));
  } catch (error) {
    if (!(error instanceof UnknownInlineModel)) throw error;
    process.stderr.write(`${SERVICE_NAME}: ${error.message}\n`);
    process.exit(64);
  }
}

async function serve(): Promise<void> {
  const config = loadCommandServiceConfig();
  const logger = createLogger(SERVICE_NAME, config.LOG_LEVEL);
  initMetrics(SERVICE_NAME);
  const { app } = await createCommandService(config, logger);
  await app.listen(config.PORT, '0.0.0.0');
  await serveMetricsOn(config.METRICS_PORT, logger);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  logger.info(
    {
      url,
      relay: config.RELAY_ENABLED,
      eventVersionWritten: config.EVENT_VERSION_WRITTEN,
      publishV1Until: config.PUBLISH_V1_UNTIL.toISOString(),
    },
    `command-service listening on ${url}`,
  );
  if (config.PUBLISH_V1_UNTIL.getTime() <= Date.now()) {
    logger.warn(
      { publishV1Until: config.PUBLISH_V1_UNTIL.toISOString() },
      'orders.order.v1 is past PUBLISH_V1_UNTIL: its events are marked in the outbox without being sent there',
    );
  }
}

const mode = process.argv[2];
const task = mode === 'migrate' ? 'migrate' : mode === 'inline-rebuild' ? 'rebuild an inline model' : 'start';
(mode === 'migrate' ? migrate() : mode === 'inline-rebuild' ? inlineRebuild(process.argv[3]) : serve()).then(
  () => {
    if (mode === 'migrate' || mode === 'inline-rebuild') process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(
      `${SERVICE_NAME} failed to ${task}: ${
        error instanceof Error ? (error.stack ?? error.message) : String(error)
      }\n`,
    );
    process.exit(1);
  },
);
