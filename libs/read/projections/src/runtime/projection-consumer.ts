import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import { counter, gauge, type Logger } from '@tandem/platform/observability';
import type { BatchApplier, BatchResult, DeadLetterRecord } from './batch-applier';
import type { IncomingMessage } from './incoming-message';
import { isTransientError } from './transient-error';

export interface ProjectionConsumerOptions {
  kafka: Kafka;
  applier: BatchApplier;
  groupId: string;
  logger: Logger;
  /** Publishes dead letters to `<topic>.dlq`; without it they are only in the dead-letter table. */
  producer?: Producer;
  /** Backoff of transient failures: doubles from `initialMs` up to `maxMs`. */
  retry?: { initialMs: number; maxMs: number };
  /** Fetch limits; the batch size bounds one read-DB transaction. */
  maxBytesPerPartition?: number;
}

export interface PartitionProgress {
  topic: string;
  partition: number;
  /** Next offset to consume (last committed + 1). */
  committed: string;
  highWatermark: string;
}

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

const applied = counter('projection_events_applied_total', 'Events applied to a read model', ['projection']);
const duplicates = counter('projection_events_duplicate_total', 'Events skipped as already applied', [
  'projection',
]);
const parkedCount = counter('projection_events_parked_total', 'Events parked behind a version gap', [
  'projection',
]);
const deadLettered = counter('projection_dead_letters_total', 'Events dead-lettered', [
  'projection',
  'reason',
]);
const retries = counter('projection_transient_retries_total', 'Batches retried after a transient failure', [
  'projection',
]);
const lagMessages = gauge(
  'projection_lag_messages',
  'Messages between the committed offset and the log end',
  ['projection', 'topic', 'partition'],
);

/**
 * Runs one projection as one Kafka consumer group. Each fetched batch (one partition's messages) is applied by the
 * BatchApplier in one read-DB transaction; only after that commit are the Kafka offsets committed, so a crash
 * between the two replays the batch, which the checkpoints turn into a no-op. A transient failure keeps the
 * partition where it is (nothing further is fetched from it) and is retried with backoff until it passes or the
 * consumer stops; nothing is skipped.
 */
export class ProjectionConsumer {
  private consumer: Consumer | null = null;
  private readonly progress = new Map<string, PartitionProgress>();
  private failingSince: Date | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: ProjectionConsumerOptions) {}

  get name(): string {
    return this.options.applier.namespace;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** Since when batches have been failing and being retried, and why; null while healthy. */
  get failure(): { since: Date; error: string } | null {
    return this.failingSince ? { since: this.failingSince, error: this.lastError ?? '' } : null;
  }

  partitions(): PartitionProgress[] {
    return [...this.progress.values()];
  }

  async start(): Promise<void> {
    const { kafka, groupId, applier } = this.options;
    const consumer = kafka.consumer({
      groupId,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1024 * 1024,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    this.consumer = consumer;
    await consumer.connect();
    // A new group reads each topic from offset 0: the read model is built from the whole history.
    await consumer.subscribe({ topics: [...applier.projection.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Waits for the batch in flight to finish (its offsets committed), then leaves the group. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) await consumer.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const messages: IncomingMessage[] = batch.messages.map((m) => ({
      topic: batch.topic,
      partition: batch.partition,
      offset: m.offset,
      key: m.key,
      value: m.value,
      headers: m.headers ?? {},
    }));
    const projection = this.name;
    const result = await this.retrying(payload, () => this.options.applier.apply(messages));
    if (!result) return;
    if (result.deadLettered.length > 0) {
      const published = await this.retrying(payload, () => this.publishDeadLetters(result.deadLettered));
      if (published === null) return;
    }
    const last = batch.lastOffset();
    payload.resolveOffset(last);
    const next = (BigInt(last) + 1n).toString();
    await this.consumer?.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
    this.progress.set(`${batch.topic}:${batch.partition}`, {
      topic: batch.topic,
      partition: batch.partition,
      committed: next,
      highWatermark: batch.highWatermark,
    });
    record(projection, batch.topic, batch.partition, result, BigInt(batch.highWatermark) - BigInt(next));
  }

  /** Retries `work` on failure with backoff; null when the consumer is stopping or lost the partition meanwhile. */
  private async retrying<T>(payload: EachBatchPayload, work: () => Promise<T>): Promise<T | null> {
    const { initialMs, maxMs } = this.options.retry ?? { initialMs: 200, maxMs: 5_000 };
    let delay = initialMs;
    for (;;) {
      try {
        const value = await work();
        this.failingSince = null;
        this.lastError = null;
        return value;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.failingSince ??= new Date();
        this.lastError = message;
        retries.inc({ projection: this.name });
        const fields = {
          partition: payload.batch.partition,
          err: message,
          retryInMs: delay,
        };
        if (isTransientError(error))
          this.options.logger.warn(fields, 'projection batch failed transiently; retrying');
        else this.options.logger.error(fields, 'projection batch failed; retrying');
      }
      await sleep(delay);
      delay = Math.min(delay * 2, maxMs);
      if (!payload.isRunning() || payload.isStale()) return null;
      try {
        await payload.heartbeat();
      } catch {
        // The group is rebalancing: give the partition back unacknowledged; its next owner replays the batch.
        return null;
      }
    }
  }

  private async publishDeadLetters(letters: DeadLetterRecord[]): Promise<void> {
    const producer = this.options.producer;
    if (!producer) return;
    await producer.send({
      topic: deadLetterTopic(letters[0]?.message.topic ?? ''),
      messages: letters.map((letter) => ({
        key: letter.message.key,
        value: letter.message.value,
        headers: {
          ...stringHeaders(letter.message.headers),
          dlq_projection: letter.projection,
          dlq_reason: letter.reason,
          dlq_error: letter.error.slice(0, 2000),
          dlq_source_topic: letter.message.topic,
          dlq_source_partition: String(letter.message.partition),
          dlq_source_offset: letter.message.offset,
          dlq_id: letter.id,
        },
      })),
    });
  }
}

function record(
  projection: string,
  topic: string,
  partition: number,
  result: BatchResult,
  lag: bigint,
): void {
  if (result.applied) applied.inc({ projection }, result.applied);
  if (result.duplicates) duplicates.inc({ projection }, result.duplicates);
  if (result.parked) parkedCount.inc({ projection }, result.parked);
  for (const letter of result.deadLettered) deadLettered.inc({ projection, reason: letter.reason });
  lagMessages.set({ projection, topic, partition: String(partition) }, Number(lag < 0n ? 0n : lag));
}

function stringHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
