import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer,
  type EachMessagePayload,
  type KafkaConfig,
  type Producer,
} from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { EventDecoder, type DecodeFailure } from '@tandem/contracts';
import { CloudEventContext } from './cloud-event-context';

export interface KafkaEventTransportOptions {
  /** A kafkajs client, or the configuration to make one. */
  kafka: Kafka | KafkaConfig;
  /** One consumer group per application: `<team>.<purpose>` (docs/events.md). */
  groupId: string;
  /** The cluster's topic names to read (e.g. `orders.order.v1`). */
  topics: string[];
  /** A new group starts at the beginning of the topics (default true: they keep every event). */
  fromBeginning?: boolean;
  /** Attempts per message before it goes to the dead-letter topic (default 3), with exponential backoff. */
  maxAttempts?: number;
  /** The first retry's delay in ms (default 200), doubled for each further one. */
  retryDelayMs?: number;
  /** Where a message goes that cannot be handled; default `<groupId>.dlq`. Created if missing. */
  deadLetterTopic?: string;
  /** Default: every version `@tandem/contracts` knows, upcast to the newest. */
  decoder?: EventDecoder;
  sessionTimeout?: number;
  heartbeatInterval?: number;
}

/** Why a message was dead-lettered, in its `dlq_*` headers. */
type DeadLetterReason = DecodeFailure['reason'] | 'handler-failed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Nest's default exception filter turns an error that is not an `RpcException` into `{ status: 'error', message:
 * 'Internal server error' }` (and logs the original): throw an `RpcException` to carry a message into `dlq_error`.
 */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/**
 * A `@nestjs/microservices` transport for Tandem's events over kafkajs. Handlers are `@EventPattern`s named by the
 * CloudEvents type, with or without its `tandem.` prefix (`@EventPattern('orders.OrderPlaced.v1')`); each gets the
 * decoded payload (`@Payload()`) and a `CloudEventContext` (`@Ctx()`).
 *
 * - **Version dispatch and upcasting**: a message goes to the handler of its own type if there is one, else along
 *   the registered upcasters to the first newer version that has a handler. A message no handler wants is skipped
 *   (and committed): a topic carries events a consumer may not care about.
 * - **Commit after success**: a message's offset is committed once its handler resolved (at least once).
 * - **Bounded retries, then a dead letter**: a handler that throws is retried `maxAttempts` times with backoff;
 *   then the message, with `dlq_*` headers saying why, goes to the dead-letter topic and is committed. A message
 *   that cannot be decoded goes there at once (retrying cannot fix it). The consumer keeps running either way;
 *   only when the dead-letter topic itself cannot be written does the message stay uncommitted and kafkajs retry.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaEventTransport.name);
  private readonly kafka: Kafka;
  private readonly decoder: EventDecoder;
  private readonly deadLetterTopic: string;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;

  constructor(private readonly options: KafkaEventTransportOptions) {
    super();
    this.kafka =
      options.kafka instanceof Kafka
        ? options.kafka
        : new Kafka({ logLevel: logLevel.WARN, ...options.kafka });
    this.decoder = options.decoder ?? new EventDecoder();
    this.deadLetterTopic = options.deadLetterTopic ?? `${options.groupId}.dlq`;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.ensureDeadLetterTopic();
      this.producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await this.producer.connect();
      this.consumer = this.kafka.consumer({
        groupId: this.options.groupId,
        ...(this.options.sessionTimeout ? { sessionTimeout: this.options.sessionTimeout } : {}),
        ...(this.options.heartbeatInterval ? { heartbeatInterval: this.options.heartbeatInterval } : {}),
      });
      await this.consumer.connect();
      await this.consumer.subscribe({
        topics: this.options.topics,
        fromBeginning: this.options.fromBeginning ?? true,
      });
      await this.consumer.run({ autoCommit: false, eachMessage: (payload) => this.handleMessage(payload) });
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = undefined;
    this.producer = undefined;
  }

  on(): void {
    throw new Error('KafkaEventTransport emits no events to listen to');
  }

  unwrap<T>(): T {
    return this.kafka as T;
  }

  private async handleMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const decoded = this.decoder.decode(message, { until: (type) => this.handlerOf(type) !== undefined });
    if (!decoded.ok) {
      await this.deadLetter({ topic, partition, message }, decoded.reason, decoded.message, 0);
      return this.commit(topic, partition, message.offset);
    }
    const event = decoded.event;
    const handler = this.handlerOf(event.type);
    if (!handler) {
      this.logger.debug?.(`no handler for ${event.type} (${topic} ${partition}@${message.offset}); skipped`);
      return this.commit(topic, partition, message.offset);
    }
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 3);
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const context = new CloudEventContext([
        event.context,
        { topic, partition, offset: message.offset, attempt },
        event,
      ]);
      try {
        const result: unknown = await handler(event.data, context);
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        return this.commit(topic, partition, message.offset);
      } catch (error) {
        lastError = error;
        this.logger.warn(
          `${event.type} ${topic} ${partition}@${message.offset}: attempt ${attempt} of ${maxAttempts} failed: ${describe(error)}`,
        );
        if (attempt < maxAttempts) {
          await sleep((this.options.retryDelayMs ?? 200) * 2 ** (attempt - 1));
          await heartbeat();
        }
      }
    }
    await this.deadLetter({ topic, partition, message }, 'handler-failed', describe(lastError), maxAttempts);
    return this.commit(topic, partition, message.offset);
  }

  /** The `@EventPattern` handler of a CloudEvents type, named in full or without its `tandem.` prefix. */
  private handlerOf(type: string): MessageHandler | undefined {
    return (
      this.getHandlerByPattern(type) ?? this.getHandlerByPattern(type.replace(/^tandem\./, '')) ?? undefined
    );
  }

  /**
   * Commits past the message. A commit refused while the group rebalances is tried again (bounded) once the
   * rebalance is over; if it still fails, the error goes to kafkajs, which hands the message over again (at least
   * once), rather than leaving the group's offset behind a message that was handled.
   */
  private async commit(topic: string, partition: number, offset: string): Promise<void> {
    const next = (BigInt(offset) + 1n).toString();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.consumer?.commitOffsets([{ topic, partition, offset: next }]);
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        this.logger.warn(
          `commit of ${topic} ${partition}@${offset} refused (attempt ${attempt}): ${describe(error)}`,
        );
        await sleep(500 * attempt);
      }
    }
  }

  private async deadLetter(
    source: Pick<EachMessagePayload, 'topic' | 'partition' | 'message'>,
    reason: DeadLetterReason,
    error: string,
    attempts: number,
  ): Promise<void> {
    if (!this.producer) throw new Error('the transport is not listening');
    const { message } = source;
    this.logger.error(
      `${source.topic} ${source.partition}@${message.offset} dead-lettered to ${this.deadLetterTopic}: ${error}`,
    );
    await this.producer.send({
      topic: this.deadLetterTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            dlq_reason: reason,
            dlq_error: error.slice(0, 2000),
            dlq_group: this.options.groupId,
            dlq_attempts: String(attempts),
            dlq_source_topic: source.topic,
            dlq_source_partition: String(source.partition),
            dlq_source_offset: message.offset,
          },
        },
      ],
    });
  }

  private async ensureDeadLetterTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if ((await admin.listTopics()).includes(this.deadLetterTopic)) return;
      await admin
        .createTopics({ waitForLeaders: true, topics: [{ topic: this.deadLetterTopic, numPartitions: 1 }] })
        .catch((error: unknown) => this.logger.warn(`creating ${this.deadLetterTopic}: ${String(error)}`));
    } finally {
      await admin.disconnect();
    }
  }
}
