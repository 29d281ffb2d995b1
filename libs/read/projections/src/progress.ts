// How far each projection has got, read-only (freshness, read-your-writes): for the query service, which needs
// this and nothing else of the runtime (importing the index would register the consumer's metrics there too).
export * from './status/projection-progress';
export type { Queryable } from './runtime/queryable';
// The notification each checkpoint move sends (its channel and payload), which waiting reads LISTEN for.
export {
  CHECKPOINTS_CHANNEL,
  parseCheckpointNotice,
  type CheckpointNotice,
} from './bookkeeping/checkpoint-notifications';
