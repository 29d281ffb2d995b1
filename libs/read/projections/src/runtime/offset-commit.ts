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

type Offset = { topic: string; partition: number; offset: string };

/**
 * Commits applied offsets at most once per `intervalMs` rather than after every batch: a commit is a Kafka round
 * trip (and a wake-up of the broker and of this process) per batch, and in steady state a batch is one or two
 * events. The read DB's checkpoints, not the offsets, make a batch apply once, so an offset committed up to
 * `intervalMs` late costs only a longer replay after a crash or a rebalance, which the checkpoints turn into a no-op.
 * A batch after a quiet spell commits at once; while stopping every batch commits at once, before the group is left.
 */
export class DeferredOffsetCommits {
  private pending: { consumer: Consumer; offsets: Map<string, Offset> } | null = null;
  private lastCommitAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly current: () => Consumer | null,
    private readonly logger: Logger,
    private readonly groupId: string,
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs < 0)
      throw new Error(`DeferredOffsetCommits: intervalMs must be ≥ 0, got ${intervalMs}`);
  }

  /** Notes a batch's offsets (after its read-DB commit): committed now when due or `now`, else by the timer. */
  async note(fetchedBy: Consumer | undefined, offsets: readonly Offset[], now: boolean): Promise<void> {
    if (!fetchedBy) return;
    // A consumer replaced meanwhile (restarted after a crash) commits nothing; its successor replays.
    if (this.pending && this.pending.consumer !== fetchedBy) this.pending = null;
    this.pending ??= { consumer: fetchedBy, offsets: new Map() };
    for (const offset of offsets) this.pending.offsets.set(`${offset.topic}:${offset.partition}`, offset);
    const since = Date.now() - this.lastCommitAt;
    if (now || since >= this.intervalMs) return this.flush();
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) =>
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error), groupId: this.groupId },
          'deferred offset commit failed; the next batch commits them',
        ),
      );
    }, this.intervalMs - since);
  }

  /** Commits what is pending now (on stop, before the group is left). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    this.lastCommitAt = Date.now();
    try {
      await commitAfterApply(
        pending.consumer,
        this.current(),
        [...pending.offsets.values()],
        this.logger,
        this.groupId,
      );
    } catch (error) {
      // Kept for the next commit, unless a later batch of the same partition is already waiting (set meanwhile).
      const waiting = this.pending as typeof pending | null;
      if (waiting === null) this.pending = pending;
      else if (waiting.consumer === pending.consumer) {
        for (const [key, offset] of pending.offsets)
          if (!waiting.offsets.has(key)) waiting.offsets.set(key, offset);
      }
      throw error;
    }
  }

  /** Drops what is pending without committing it (the consumer is gone). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = null;
  }
}
