// The read side's projection runtime (batches applied transactionally with per-stream checkpoints, gaps parked,
// poison dead-lettered) and the projection of each read model's definition from the event topics.
export * from './runtime/projection';
export * from './runtime/incoming-message';
export * from './runtime/message-decoder';
export * from './runtime/transient-error';
export * from './runtime/batch-applier';
export * from './runtime/projection-catalog';
export * from './read-model-projection';
export * from './testing/event-messages';
export * from './runtime/projection-consumer';
export * from './runtime/dead-letter-replay';
export * from './runtime/projection-status';
export * from './runtime/table-swap';
