import type { Consumer } from 'kafkajs';
import type { Logger } from '@tandem/platform/observability';

/**
 * Offset-commit refusals that mean the group has moved on without this member (a rebalance, or a broker that came
 * back without its members): the batch is in the read DB, its offsets are not committed, and whoever owns the
 * partitions next replays it, which the checkpoints make a no-op.
 */
const GROUP_MOVED_ON = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR_FOR_GROUP',
  'COORDINATOR_NOT_AVAILABLE',
  'FENCED_INSTANCE_ID',
]);

/**
 * Commits the offsets of batches after their read-DB commit, through the consumer that fetched them; a consumer
 * replaced meanwhile (restarted after a crash) commits nothing. True when committed; false when the group had moved
 * on (logged): thrown, that refusal would crash the consumer for good.
 */
export async function commitAfterApply(
  fetchedBy: Consumer | undefined,
  current: Consumer | null,
  offsets: Array<{ topic: string; partition: number; offset: string }>,
  logger: Logger,
  groupId: string,
): Promise<boolean> {
  if (!fetchedBy || fetchedBy !== current) return false;
  try {
    await fetchedBy.commitOffsets(offsets);
    return true;
  } catch (error) {
    const type = protocolErrorOf(error);
    if (type === null) throw error;
    logger.warn(
      { err: type, groupId },
      'offsets not committed: the group moved on without this member; the next owner replays the batch',
    );
    return false;
  }
}

/** The Kafka error code behind a kafkajs error, through the errors it wraps, if it says the group moved on. */
function protocolErrorOf(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && GROUP_MOVED_ON.has(type)) return type;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
