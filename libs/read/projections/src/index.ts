// The read side's projection runtime (batches applied transactionally with per-stream checkpoints, gaps parked,
// poison dead-lettered, status, rebuilds) and the projection of each read model's definition from the event topics.
export * from './runtime/projection';
export * from './runtime/incoming-message';
export * from './runtime/message-decoder';
export * from './runtime/transient-error';
export * from './runtime/queryable';
export * from './runtime/batch-result';
export * from './runtime/batch-applier';
export * from './runtime/projection-catalog';
export * from './read-model-projection';
export * from './testing/event-messages';
export * from './runtime/projection-consumer';
export * from './runtime/group-liveness';
export { listPendingDeadLetters, type DeadLetterRecord } from './dead-letters/dead-letters';
export * from './dead-letters/dead-letter-replay';
export * from './dead-letters/dead-letter-topic';
export * from './status/projection-status-reader';
export * from './status/projection-progress';
export * from './rebuild/table-swap';
export * from './rebuild/projection-rebuilds';
export { REBUILD_GATE_LOCK_CLASS, REBUILD_OWNER_LOCK_CLASS } from './rebuild/rebuild-gate';
