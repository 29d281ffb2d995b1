import type { INestApplication } from '@nestjs/common';
import { INLINE_MODELS, INLINE_MODEL_NAMES } from '@tandem/inline-models';
import {
  AccessTokenVerifier,
  assertEveryRouteDeclaresAccess,
  ConsistencyTokens,
  verifierOptionsOf,
} from '@tandem/platform/auth';
import { createHttpApp } from '@tandem/platform/http';
import { createKafka, eventTopicSpecs, topicNames } from '@tandem/platform/kafka';
import type { Logger } from '@tandem/platform/observability';
import {
  createWriteDataSource,
  IdempotencyKeySweeper,
  InlineCatchUp,
  InlineProjections,
  KafkaOutboxPublisher,
  migrateWriteDatabase,
  OrderStateCache,
  OutboxBacklog,
  OutboxSweeper,
  OutboxRelay,
  type OutboxRelayOptions,
} from '@tandem/write/persistence';
import type { DataSource } from 'typeorm';
import { createAppModule } from './app.module';
import { SERVICE_NAME, type CommandServiceConfig } from './config';

export interface CommandService {
  app: INestApplication;
  relay: OutboxRelay | undefined;
}

/**
 * Builds the command service: connects the write DB (applying migrations unless told not to), fills or catches up
 * the inline models it applies (before it takes a command), starts the outbox relay (which makes the event topics
 * if they are missing, once Kafka answers), the idempotency-key and outbox sweepers and returns the Nest app, ready to
 * listen. Kafka is not needed to start or to take commands: its events wait in the outbox. `app.close()` (or SIGTERM) stops
 * the relay and the sweeper, closes the producer and the pool.
 */
export async function createCommandService(
  config: CommandServiceConfig,
  logger: Logger,
  relayOverrides: Partial<Pick<OutboxRelayOptions, 'pollIntervalMs' | 'standbyRetryMs'>> = {},
): Promise<CommandService> {
  const dataSource = createWriteDataSource({
    url: config.WRITE_DATABASE_URL,
    poolSize: config.WRITE_DATABASE_POOL_SIZE,
    applicationName: SERVICE_NAME,
  });
  await dataSource.initialize();
  try {
    if (config.RUN_MIGRATIONS) {
      const applied = await migrateWriteDatabase(dataSource);
      if (applied.length > 0) logger.info({ applied }, 'write database migrated');
    }
    const inline = await prepareInlineModels(dataSource, config, logger);
    const kafka = createKafka({ clientId: SERVICE_NAME, brokers: config.KAFKA_BROKERS, logger });
    const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
    // Every topic published, the deprecated one included; one that replaces another gets its partition count.
    const publisher = new KafkaOutboxPublisher(
      kafka,
      topics,
      eventTopicSpecs({ names: topics, partitions: config.TOPIC_PARTITIONS }),
    );
    // The topics are made now if Kafka answers within 5 s, else by the relay before its first publish: the service
    // starts, and takes commands, without Kafka.
    if (!(await publisher.prepare(5000))) {
      logger.warn('Kafka does not answer: starting without it; the outbox keeps the events until it does');
    }
    const relay = config.RELAY_ENABLED
      ? new OutboxRelay({
          databaseUrl: config.WRITE_DATABASE_URL,
          publisher,
          logger,
          publishV1Until: config.PUBLISH_V1_UNTIL,
          ...relayOverrides,
        })
      : undefined;
    const sweeper = new IdempotencyKeySweeper({
      dataSource,
      logger,
      retentionMs: config.IDEMPOTENCY_KEY_RETENTION_HOURS * 3600_000,
      intervalMs: config.IDEMPOTENCY_SWEEP_INTERVAL_MS,
    });
    const outboxSweeper = new OutboxSweeper({
      dataSource,
      logger,
      retentionMs: config.OUTBOX_RETENTION_MINUTES * 60_000,
      intervalMs: config.OUTBOX_SWEEP_INTERVAL_MS,
    });
    const backlog = new OutboxBacklog(dataSource);
    const app = await createHttpApp(
      createAppModule({
        dataSource,
        publisher,
        relay,
        sweeper,
        outboxSweeper,
        backlog,
        inline,
        eventVersionWritten: config.EVENT_VERSION_WRITTEN,
        orderStateCache: new OrderStateCache(config.ORDER_STATE_CACHE_SIZE),
        verifier: new AccessTokenVerifier(verifierOptionsOf(config)),
        consistencyTokens: new ConsistencyTokens(config.CONSISTENCY_TOKEN_SECRET),
      }),
      logger,
    );
    assertEveryRouteDeclaresAccess(app);
    relay?.start();
    sweeper.start();
    outboxSweeper.start();
    backlog.start();
    return { app, relay };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

/**
 * The inline models `INLINE_PROJECTIONS` names, made whole before the first command: each is filled from the event
 * store if it never was, or caught up with what was written without it. Models left out are forgotten (emptied and
 * marked unfilled): this service's commands would not reach them, so the query service must not trust them.
 */
async function prepareInlineModels(
  dataSource: DataSource,
  config: CommandServiceConfig,
  logger: Logger,
): Promise<InlineProjections> {
  const inline = new InlineProjections(config.INLINE_PROJECTIONS.map((name) => INLINE_MODELS[name]));
  const catchUp = new InlineCatchUp(dataSource, inline);
  const unused = INLINE_MODEL_NAMES.filter((name) => !config.INLINE_PROJECTIONS.includes(name));
  if (unused.length > 0) {
    await catchUp.forget(unused.map((name) => INLINE_MODELS[name]));
    logger.info({ models: unused }, 'inline models not applied here: emptied and marked unfilled');
  }
  for (const report of await catchUp.run()) {
    logger.info(
      report,
      `inline model ${report.model} ${report.how} (${report.events} events, ${report.ms} ms)`,
    );
  }
  return inline;
}

/** `main.js migrate`: applies the write DB's migrations and returns their names. */
export async function migrateOnly(url: string): Promise<string[]> {
  const dataSource = createWriteDataSource({ url, poolSize: 1, applicationName: `${SERVICE_NAME}-migrate` });
  await dataSource.initialize();
  try {
    return await migrateWriteDatabase(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
