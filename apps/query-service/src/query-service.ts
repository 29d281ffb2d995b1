import { Module, type INestApplication, type Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  AccessTokenVerifier,
  assertEveryRouteDeclaresAccess,
  AuthModule,
  ConsistencyTokens,
  verifierOptionsOf,
} from '@tandem/platform/auth';
import { createHttpApp, HealthModule } from '@tandem/platform/http';
import type { Logger } from '@tandem/platform/observability';
import { createReadDataSource, migrateReadDatabase, OrderSummaryQueries } from '@tandem/read/models';
import { ProjectionProgress } from '@tandem/read/projections/progress';
import type { DataSource } from 'typeorm';
import type { QueryServiceConfig } from './config';
import { GET_CUSTOMER } from './customers/get-customer';
import { CheckpointWaits, startCheckpointWaits } from './freshness/checkpoint-waits';
import { CONSISTENCY_WAIT, ReadFreshness } from './freshness/read-freshness';
import { LIVE_ORDERS } from './live';
import { LiveOrderStreams } from './live/live-order-streams';
import { LIVE_STREAM_LIMITS } from './live/live-stream-limits';
import { GET_ORDER } from './orders/get-order';
import { LIST_ORDERS } from './orders/list-orders';
import { READ_DATA_SOURCE, ReadDatabaseModule } from './read-database/read-database.module';
import { GET_DAILY_SALES } from './reports/get-daily-sales';
import { ReadProgressController } from './read-progress/read-progress.controller';
import { openInlineDatabase, type InlineDatabase } from './inline-database/inline-database';
import { InlineDatabaseModule } from './inline-database/inline-database.module';
import { CURSOR_SECRET } from './orders/list-orders/order-cursor';

// One entry per query folder: its controller and its handler.
const SLICES: Array<{ controllers: Type<unknown>[]; handlers: Type<unknown>[] }> = [
  LIVE_ORDERS,
  GET_ORDER,
  LIST_ORDERS,
  GET_CUSTOMER,
  GET_DAILY_SALES,
];

/**
 * Builds the query service: `@nestjs/cqrs` query handlers over the read DB, one folder per query, and the inline
 * models through a read-only connection to the write DB (or its replica) when `INLINE_DATABASE_URL` is set. Both
 * pools are opened here and closed with the app.
 */
export async function createQueryService(
  config: QueryServiceConfig,
  logger: Logger,
): Promise<INestApplication> {
  const dataSource = createReadDataSource({
    url: config.READ_DATABASE_URL,
    poolSize: config.DB_POOL_SIZE,
    applicationName: 'query-service',
  });
  await dataSource.initialize();
  let inline: InlineDatabase | null = null;
  let waiting: Awaited<ReturnType<typeof startCheckpointWaits>>;
  const live = new LiveOrderStreams(
    new OrderSummaryQueries(dataSource),
    { maxStreams: config.SSE_MAX_STREAMS, maxStreamsPerPrincipal: config.SSE_MAX_STREAMS_PER_PRINCIPAL },
    logger,
  );
  try {
    if (config.RUN_MIGRATIONS) await migrateReadDatabase(dataSource);
    if (config.INLINE_DATABASE_URL) inline = await openInlineDatabase(config.INLINE_DATABASE_URL, logger);
    waiting = await startCheckpointWaits({
      databaseUrl: config.READ_DATABASE_URL,
      progress: new ProjectionProgress(dataSource),
      logger,
      maxWaits: config.CONSISTENCY_MAX_WAITS,
      maxWaitsPerPrincipal: config.CONSISTENCY_MAX_WAITS_PER_PRINCIPAL,
      recheckMs: config.CONSISTENCY_RECHECK_MS,
      observers: [live],
    });
  } catch (error) {
    await inline?.close().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  const inlineDatabase = inline;
  const checkpointWaits = waiting;
  // Heartbeats for idle streams; and while LISTEN is down (no notice can come), the streams look once a second.
  const liveTimer = setInterval(() => {
    live.tick(Date.now());
    if (!checkpointWaits.listening()) live.gap();
  }, 1_000);
  liveTimer.unref();

  @Module({
    imports: [
      CqrsModule.forRoot(),
      AuthModule.register(new AccessTokenVerifier(verifierOptionsOf(config))),
      ReadDatabaseModule.register(dataSource),
      InlineDatabaseModule.register(inlineDatabase?.reader ?? null, logger),
      HealthModule.register({
        inject: [READ_DATA_SOURCE],
        useFactory: (db: DataSource) => [
          // Not the inline database: without it only the customers' open orders are unknown (OpenOrdersReads).
          { name: 'read-database', check: async () => void (await db.query('SELECT 1')) },
        ],
      }),
    ],
    controllers: [...SLICES.flatMap((s) => s.controllers), ReadProgressController],
    providers: [
      ...SLICES.flatMap((s) => s.handlers),
      ReadFreshness,
      { provide: CheckpointWaits, useValue: checkpointWaits.waits },
      { provide: LiveOrderStreams, useValue: live },
      {
        provide: LIVE_STREAM_LIMITS,
        useValue: {
          heartbeatMs: config.SSE_HEARTBEAT_SECONDS * 1_000,
          maxBufferedBytes: config.SSE_MAX_BUFFERED_BYTES,
        },
      },
      { provide: CONSISTENCY_WAIT, useValue: config.CONSISTENCY_WAIT_MS },
      { provide: ConsistencyTokens, useValue: new ConsistencyTokens(config.CONSISTENCY_TOKEN_SECRET) },
      { provide: CURSOR_SECRET, useValue: config.CURSOR_SECRET },
    ],
  })
  class QueryServiceModule {
    /** Before the server closes: an open stream would keep it from closing. */
    beforeApplicationShutdown(): void {
      clearInterval(liveTimer);
      live.closeAll();
    }

    async onApplicationShutdown(): Promise<void> {
      await checkpointWaits.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await inlineDatabase?.close();
    }
  }

  try {
    const app = await createHttpApp(QueryServiceModule, logger);
    assertEveryRouteDeclaresAccess(app);
    return app;
  } catch (error) {
    clearInterval(liveTimer);
    await checkpointWaits.close().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    await inlineDatabase?.close().catch(() => undefined);
    throw error;
  }
}
