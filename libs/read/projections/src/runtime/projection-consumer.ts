import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { CONTRACT_TOPIC_NAMES, type TopicNames } from '@tandem/platform/kafka';
import type { Logger } from '@tandem/platform/observability';
import { publishDeadLetters } from '../dead-letters/dead-letter-topic';
import type { BatchApplier } from './batch-applier';
import type { IncomingMessage } from './incoming-message';
import { countBatch, recordNewestEventTime, recordPartitionLag } from './projection-metrics';
import { DEFAULT_GROUP_LIVENESS, type GroupLiveness } from './group-liveness';
import { DeferredOffsetCommits } from './offset-commit';
import { traceProjectionBatch } from './projection-tracing';
import { BatchRetries } from './batch-retries';

export interface ProjectionConsumerOptions {
  kafka: Kafka;
  applier: BatchApplier;
  groupId: string;
  logger: Logger;
  /** The cluster's names of the projection's topics (a deployment's prefix); default the contract's names. */
  topicNames?: TopicNames;
  /** Publishes dead letters to `<topic>.dlq`; without it they are only in the dead-letter table. */
  producer?: Producer;
  /** Backoff of transient failures: doubles from `initialMs` up to `maxMs`. */
  retry?: { initialMs: number; maxMs: number };
  /** Bytes fetched per partition at most (a fetch brings up to this much of each partition). */
  maxBytesPerPartition?: number;
  /**
   * Partitions whose fetched batches are applied together, in one read-DB transaction. Default 64: every batch of
   * one fetch, for any partition count a single replica is likely to own.
   */
  partitionsPerTransaction?: number;
  /** A transaction takes further partitions' batches only while it holds fewer messages than this. Default 5000. */
  maxMessagesPerTransaction?: number;
  /** Consumer-group liveness; defaults in `DEFAULT_GROUP_LIVENESS`. */
  liveness?: GroupLiveness;
  /**
   * Applied offsets are committed to Kafka at most this often (`DeferredOffsetCommits`). Default 500 ms; 0
   * commits after every batch.
   */
  offsetCommitIntervalMs?: number;
}

/** One partition's fetched batch, waiting to be applied with the others of its fetch. */
interface WaitingBatch {
  payload: EachBatchPayload;
  messages: IncomingMessage[];
  /** The consumer that fetched it: the one that may commit its offsets. */
  consumer: Consumer;
  settle: (error?: unknown) => void;
}

/** How long a consumer that kafkajs gave up on waits before it joins its group again. */
const RESTART_AFTER_MS = 1000;

export interface PartitionProgress {
  topic: string;
  partition: number;
  /** Next offset to consume (last applied + 1): committed to Kafka within `offsetCommitIntervalMs`. */
  committed: string;
  highWatermark: string;
}

/**
 * Runs one projection as one Kafka consumer group. The batches of one fetch (one per partition) are applied together
 * by the BatchApplier in one read-DB transaction; only after that commit are their Kafka offsets committed, so a
 * crash between the two replays them, which the checkpoints turn into a no-op. A transient failure keeps the
 * partitions where they are (nothing further is fetched from them) and is retried with backoff until it passes or
 * the consumer stops; nothing is skipped.
 *
 * Why together: a fetch brings a small batch for each partition that has new events, and kafkajs fetches again only
 * once every batch of the previous fetch is done. One transaction per partition made that round as long as the sum
 * of its transactions (six partitions at 200 events/s: about 50 ms, and as much waiting for an event that arrived
 * meanwhile); one transaction for the whole fetch makes it about as long as one.
 */
export class ProjectionConsumer {
  private consumer: Consumer | null = null;
  private readonly progress = new Map<string, PartitionProgress>();
  private readonly retries: BatchRetries;
  private readonly commits: DeferredOffsetCommits;
  private readonly waiting: WaitingBatch[] = [];
  private draining = false;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ProjectionConsumerOptions) {
    this.retries = new BatchRetries(
      options.applier.namespace,
      options.logger,
      options.retry ?? { initialMs: 200, maxMs: 5_000 },
      (options.liveness ?? DEFAULT_GROUP_LIVENESS).heartbeatIntervalMs,
    );
    this.commits = new DeferredOffsetCommits(
      options.offsetCommitIntervalMs ?? 500,
      () => this.consumer,
      options.logger,
      options.groupId,
    );
  }

  get name(): string {
    return this.options.applier.namespace;
  }

  private get topics(): TopicNames {
    return this.options.topicNames ?? CONTRACT_TOPIC_NAMES;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** Since when batches have been failing and being retried, and why; null while healthy. */
  get failure(): { since: Date; error: string } | null {
    return this.retries.failure;
  }

  partitions(): PartitionProgress[] {
    return [...this.progress.values()];
  }

  /** Resolves once the consumer has joined its group and been given its partitions. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.open();
  }

  /**
   * kafkajs restarts a crashed consumer only after errors it deems retriable; after any other (an offset commit
   * refused because Kafka restarted and forgot the group's members, say) the consumer would stay stopped, and the
   * projection with it. So a consumer that crashes for good is started again, a second later, from its group's
   * committed offsets: what it had applied without committing is replayed, and changes nothing.
   */
  private async open(): Promise<void> {
    const { kafka, groupId, applier } = this.options;
    const liveness = this.options.liveness ?? DEFAULT_GROUP_LIVENESS;
    const consumer = kafka.consumer({
      groupId,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1024 * 1024,
      sessionTimeout: liveness.sessionTimeoutMs,
      heartbeatInterval: liveness.heartbeatIntervalMs,
      rebalanceTimeout: liveness.rebalanceTimeoutMs,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopping || this.consumer !== consumer) return;
      this.options.logger.error(
        { err: payload.error.message, groupId },
        `projection consumer stopped by kafkajs; joining again in ${RESTART_AFTER_MS} ms`,
      );
      this.consumer = null;
      this.restartTimer = setTimeout(() => void this.reopen(), RESTART_AFTER_MS);
    });
    await consumer.connect();
    // A new group reads each topic from offset 0: the read model is built from the whole history.
    await consumer.subscribe({
      topics: applier.projection.topics.map((topic) => this.topics.onCluster(topic)),
      fromBeginning: true,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // kafkajs hands the batches of one fetch to this many eachBatch calls at once; they are gathered below.
      partitionsConsumedConcurrently: this.options.partitionsPerTransaction ?? 64,
      eachBatch: (payload) => this.handleBatch(payload, consumer),
    });
  }

  private async reopen(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.open();
    } catch (error) {
      this.options.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'rejoin failed',
      );
      this.consumer = null;
      if (!this.stopping) this.restartTimer = setTimeout(() => void this.reopen(), RESTART_AFTER_MS);
    }
  }

  /** Waits for the batch in flight to finish (its offsets committed), then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const consumer = this.consumer;
    // The applied batches' offsets, before the group is left; a batch still in flight commits its own (stopping).
    await this.commits
      .flush()
      .catch((error: unknown) =>
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error), groupId: this.groupId },
          'offsets not committed at stop; the next owner replays them',
        ),
      );
    if (consumer) await consumer.disconnect();
    this.consumer = null;
    this.commits.clear();
  }

  /** Queues a partition's batch; resolves once it has been applied and its offset committed (or given back). */
  private handleBatch(payload: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return Promise.resolve();
    const messages: IncomingMessage[] = batch.messages.map((m) => ({
      topic: this.topics.inContract(batch.topic),
      partition: batch.partition,
      offset: m.offset,
      key: m.key,
      value: m.value,
      headers: m.headers ?? {},
    }));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({
        payload,
        messages,
        consumer,
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
      void this.drain();
    });
  }

  /** Applies the waiting batches, one transaction per group, one group at a time. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      // kafkajs starts the eachBatch calls of one fetch together: let them all arrive before the first group.
      await new Promise((resolve) => setImmediate(resolve));
      const limit = this.options.maxMessagesPerTransaction ?? 5000;
      while (this.waiting.length > 0) {
        const group: WaitingBatch[] = [];
        let size = 0;
        while (
          this.waiting.length > 0 &&
          (group.length === 0 || size + (this.waiting[0]?.messages.length ?? 0) <= limit)
        ) {
          const next = this.waiting.shift() as WaitingBatch;
          group.push(next);
          size += next.messages.length;
        }
        try {
          const messages = group.flatMap((waiting) => waiting.messages);
          await traceProjectionBatch(this.groupId, messages, () => this.applyGroup(group));
          for (const waiting of group) waiting.settle();
        } catch (error) {
          for (const waiting of group) waiting.settle(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async applyGroup(group: WaitingBatch[]): Promise<void> {
    const messages = group.flatMap((waiting) => waiting.messages);
    const payloads = group.map(({ payload }) => payload);
    const result = await this.retries.run(payloads, () => this.options.applier.apply(messages));
    if (!result) return;
    const producer = this.options.producer;
    if (result.deadLettered.length > 0 && producer) {
      const published = await this.retries.run(payloads, () =>
        publishDeadLetters(producer, this.topics, result.deadLettered),
      );
      if (published === null) return;
    }
    const offsets = group.map(({ payload }) => {
      const last = payload.batch.lastOffset();
      payload.resolveOffset(last);
      return {
        topic: payload.batch.topic,
        partition: payload.batch.partition,
        offset: (BigInt(last) + 1n).toString(),
      };
    });
    await this.commits.note(group[0]?.consumer, offsets, this.stopping);
    countBatch(this.name, result);
    recordNewestEventTime(this.name, messages);
    for (const [i, { payload }] of group.entries()) {
      const { topic, partition, highWatermark } = payload.batch;
      const committed = offsets[i]?.offset ?? '0';
      this.progress.set(`${topic}:${partition}`, { topic, partition, committed, highWatermark });
      const lag = BigInt(highWatermark) - BigInt(committed);
      recordPartitionLag(this.name, topic, partition, Number(lag < 0n ? 0n : lag));
    }
  }
}
