// Tandem's write-side persistence: the Order event store, the Customer table, idempotent command transactions and
// the transactional outbox with its relay to Kafka.
export { createWriteDataSource, migrateWriteDatabase } from './write-data-source';
export { WRITE_MIGRATIONS } from './migrations';
export type { OrderStore } from './stores/order-store';
export type { CustomerStore } from './stores/customer-store';
export type { EventVersionWritten } from './stores/stored-order-events';
export { OrderStateCache, type CachedOrder } from './stores/order-state-cache';
export {
  COMMAND_TRANSACTIONS,
  type CommandOptions,
  type CommandOrigin,
  type CommandAnswer,
  type CommandTransactions,
  type WriteUnit,
} from './transactions/command-transactions';
export { PostgresCommandTransactions, type LocalRelay } from './transactions/postgres-command-transactions';
export {
  IdempotencyKeySweeper,
  type IdempotencyKeySweeperOptions,
} from './transactions/idempotency-key-sweeper';
export {
  CommandRecords,
  type AcceptedCommand,
  type CommandRecord,
  type PublishedEvent,
  type RejectedCommand,
  type Rejection,
} from './command-status/command-records';
export type { WrittenEvent } from './transactions/written-events';
export { WriteConflict } from './errors/write-conflict.error';
export { VersionMismatch } from './errors/version-mismatch.error';
export { IdempotencyKeyReused } from './errors/idempotency-key-reused.error';
export { EVENT_SOURCE } from './outbox/outbox-writer';
export type { OutboxMessage, OutboxPublisher } from './outbox/outbox-message';
export { KafkaOutboxPublisher, InvalidOutboxEvent } from './outbox/kafka-outbox-publisher';
export { OutboxSweeper, type OutboxSweeperOptions } from './outbox/outbox-sweeper';
export { OutboxBacklog, type OutboxBacklogReading } from './outbox/outbox-backlog';
export { OutboxRelay, RELAY_LOCK_KEY, OUTBOX_CHANNEL, type OutboxRelayOptions } from './outbox/outbox-relay';
export { InlineProjections, NO_INLINE_PROJECTIONS, type InlineModel } from './inline/inline-projections';
export { InlineCatchUp, type InlineFillReport, type InlineCatchUpOptions } from './inline/inline-catch-up';
export { INLINE_LOCK_CLASS } from './inline/inline-checkpoints';
