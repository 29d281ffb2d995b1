import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { parseEvent, toKafkaHeaders } from '@tandem/contracts';
import { CONTRACT_TOPIC_NAMES, ensureTopics, type TopicNames, type TopicSpec } from '@tandem/platform/kafka';
import { endSpan, startSendSpan, traceparentOf, type Span } from '@tandem/platform/observability';
import type { OutboxMessage, OutboxPublisher } from './outbox-message';

/** An outbox row whose payload breaks its contract: a bug that must stop the relay rather than be skipped. */
export class InvalidOutboxEvent extends Error {
  constructor(position: string, reason: string) {
    super(`outbox position ${position} cannot be published: ${reason}`);
    this.name = 'InvalidOutboxEvent';
  }
}

/**
 * Publishes outbox messages with kafkajs's idempotent producer. One request in flight and acks from all in-sync
 * replicas: a retried batch can neither be duplicated by the broker nor overtake the one before it.
 *
 * Each message is sent in a PRODUCER span, the child of the command's span through the `traceparent` stored with
 * the event (the relay runs long after the request ended); the message then carries the send span as its
 * `ce_traceparent`, so the consumers' spans follow on in the same trace.
 */
export class KafkaOutboxPublisher implements OutboxPublisher {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  /**
   * `ensure`: topics to create, if missing, before the first send (and again after a failed one). The command service
   * does not make them at start: it must start, and take commands, while Kafka is down.
   */
  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames = CONTRACT_TOPIC_NAMES,
    private readonly ensure: TopicSpec[] = [],
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  async publish(messages: readonly OutboxMessage[]): Promise<void> {
    const spans: Span[] = [];
    try {
      await this.send(messages, spans);
    } catch (error) {
      for (const span of spans) endSpan(span, error);
      throw error;
    }
    for (const span of spans) endSpan(span);
  }

  private async send(messages: readonly OutboxMessage[], spans: Span[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const message of messages) {
      // Validated here, at the last moment, against the same schema consumers use.
      const parsed = parseEvent(message.envelope.type, message.payload);
      if (!parsed.ok) throw new InvalidOutboxEvent(message.position, parsed.message);
      const topic = this.topics.onCluster(message.topic);
      const { envelope } = message;
      const span = startSendSpan({
        topic,
        key: message.key,
        id: envelope.id,
        ...(envelope.traceparent ? { traceparent: envelope.traceparent } : {}),
      });
      spans.push(span);
      const traceparent = (span.isRecording() ? traceparentOf(span) : undefined) ?? envelope.traceparent;
      const list = byTopic.get(topic) ?? [];
      list.push({
        key: message.key,
        value: JSON.stringify(message.payload),
        headers: toKafkaHeaders({ ...envelope, ...(traceparent ? { traceparent } : {}) }),
      });
      byTopic.set(topic, list);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
    this.connected ??= this.connect();
    try {
      await this.connected;
      await this.producer.sendBatch({ topicMessages, acks: -1 });
    } catch (error) {
      // Start the next attempt from a fresh connection (Kafka may have restarted meanwhile); the relay retries the
      // whole batch, in order, so nothing is skipped (a batch the broker had taken is sent again: at least once).
      this.connected = undefined;
      await this.producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Makes the topics and connects now, if Kafka answers within `withinMs`; resolves false (logged by the caller)
   * otherwise, and the first publish tries again. At start, so that consumers find the topics as soon as the
   * service is up, without the service waiting on Kafka.
   */
  async prepare(withinMs: number): Promise<boolean> {
    const connecting = (this.connected ??= this.connect());
    // Settles whenever the connection does, so that a late failure is handled (and forgotten) here, not thrown.
    const outcome = connecting.then(
      () => true,
      () => {
        if (this.connected === connecting) this.connected = undefined;
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), withinMs);
    });
    try {
      return await Promise.race([outcome, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async connect(): Promise<void> {
    if (this.ensure.length > 0) await ensureTopics(this.kafka, this.ensure);
    await this.producer.connect();
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
