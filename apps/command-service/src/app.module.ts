import { Inject, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { AuthModule, type AccessTokenVerifier, type ConsistencyTokens } from '@tandem/platform/auth';
import { HealthModule } from '@tandem/platform/http';
import {
  COMMAND_TRANSACTIONS,
  CommandRecords,
  PostgresCommandTransactions,
  type IdempotencyKeySweeper,
  type EventVersionWritten,
  type InlineProjections,
  type KafkaOutboxPublisher,
  type OrderStateCache,
  type OutboxBacklog,
  type OutboxRelay,
  type OutboxSweeper,
} from '@tandem/write/persistence';
import { CommandStatusController } from './command-status/command-status.controller';
import { COMMAND_RECORDS, RejectionRecorder } from './command-status/rejection-recorder';
import { CONSISTENCY_TOKENS } from './commands/aggregate-command';
import { CUSTOMER_COMMAND_HANDLERS, CUSTOMER_CONTROLLERS } from './customers';
import { ORDER_COMMAND_HANDLERS, ORDER_CONTROLLERS } from './orders';

/** What the app runs on, created (and connected) by `createCommandService` before Nest starts. */
export interface CommandServiceInfrastructure {
  dataSource: DataSource;
  publisher: KafkaOutboxPublisher;
  relay: OutboxRelay | undefined;
  sweeper: IdempotencyKeySweeper;
  /** Deletes published outbox rows past their retention. */
  outboxSweeper: OutboxSweeper;
  /** What the relay has not published yet: readiness reports it instead of asking Kafka. */
  backlog: OutboxBacklog;
  /** The read models each command's transaction applies (`INLINE_PROJECTIONS`), already filled. */
  inline: InlineProjections;
  /** The version order events are stored in (`EVENT_VERSION_WRITTEN`). */
  eventVersionWritten: EventVersionWritten;
  /** Orders kept folded between commands (`ORDER_STATE_CACHE_SIZE`). */
  orderStateCache: OrderStateCache;
  /** Checks each caller's bearer token. */
  verifier: AccessTokenVerifier;
  /** Signs the consistency token of each answer. */
  consistencyTokens: ConsistencyTokens;
}

const INFRASTRUCTURE = Symbol('CommandServiceInfrastructure');

/** Stops the relay first (so nothing is half-published) and the sweepers, then closes the producer and the pool. */
class InfrastructureShutdown implements OnApplicationShutdown {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: CommandServiceInfrastructure) {}

  async onApplicationShutdown(): Promise<void> {
    const { relay, sweeper, outboxSweeper, backlog, publisher, dataSource } = this.infrastructure;
    await relay?.stop();
    await sweeper.stop();
    await outboxSweeper.stop();
    backlog.stop();
    await publisher.close();
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

/** The command service's module over its infrastructure (tests build one per test database). */
export function createAppModule(infrastructure: CommandServiceInfrastructure): Type<unknown> {
  @Module({
    imports: [
      CqrsModule.forRoot(),
      AuthModule.register(infrastructure.verifier),
      HealthModule.register({
        inject: [],
        useFactory: () => [
          {
            name: 'write-db',
            check: async () => void (await infrastructure.dataSource.query('SELECT 1')),
          },
          // Not Kafka itself: commands need only the write DB, and the outbox holds their events while Kafka is
          // down. The backlog and the relay's state say how far behind publishing is.
          {
            name: 'outbox',
            check: async () => ({
              ...(await infrastructure.backlog.read()),
              relay: infrastructure.relay?.status() ?? 'disabled',
            }),
          },
        ],
      }),
    ],
    controllers: [...CUSTOMER_CONTROLLERS, ...ORDER_CONTROLLERS, CommandStatusController],
    providers: [
      { provide: INFRASTRUCTURE, useValue: infrastructure },
      {
        provide: COMMAND_TRANSACTIONS,
        useValue: new PostgresCommandTransactions(infrastructure.dataSource, {
          inline: infrastructure.inline,
          eventVersionWritten: infrastructure.eventVersionWritten,
          orderStateCache: infrastructure.orderStateCache,
          ...(infrastructure.relay ? { relay: infrastructure.relay } : {}),
        }),
      },
      { provide: CONSISTENCY_TOKENS, useValue: infrastructure.consistencyTokens },
      { provide: COMMAND_RECORDS, useValue: new CommandRecords(infrastructure.dataSource) },
      RejectionRecorder,
      InfrastructureShutdown,
      ...CUSTOMER_COMMAND_HANDLERS,
      ...ORDER_COMMAND_HANDLERS,
    ],
  })
  class AppModule {}
  return AppModule;
}
