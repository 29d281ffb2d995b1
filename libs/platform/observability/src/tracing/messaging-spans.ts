import { SpanKind, type Link, type Span } from '@opentelemetry/api';
import { contextOfTraceparent, spanContextOfTraceparent, tracer } from './spans';

// OpenTelemetry semantic conventions for messaging (Kafka), as of semconv 1.3x. Copied rather than imported: they
// are in the package's "incubating" entry point, which its maintainers ask not to depend on.
export const MESSAGING = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  consumerGroup: 'messaging.consumer.group.name',
  batchCount: 'messaging.batch.message_count',
  messageId: 'messaging.message.id',
  key: 'messaging.kafka.message.key',
  offset: 'messaging.kafka.offset',
} as const;

export interface SentMessage {
  topic: string;
  key: string;
  /** The CloudEvents id. */
  id: string;
  /** The `traceparent` stored with the message: the span that recorded it, which this send continues. */
  traceparent?: string;
}

/** A PRODUCER span for sending one message, a child of the span the message's stored `traceparent` names. */
export function startSendSpan(message: SentMessage): Span {
  return tracer().startSpan(
    `send ${message.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [MESSAGING.system]: 'kafka',
        [MESSAGING.destination]: message.topic,
        [MESSAGING.operationType]: 'send',
        [MESSAGING.operationName]: 'send',
        [MESSAGING.key]: message.key,
        [MESSAGING.messageId]: message.id,
      },
    },
    contextOfTraceparent(message.traceparent),
  );
}

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key?: string;
  id?: string;
  /** The `traceparent` the message carries: the span that sent it. */
  traceparent?: string;
}

/**
 * A CONSUMER span for processing a batch of messages together: the root of a trace of its own (a batch belongs to
 * no one message's trace), linked to the span that sent each message.
 */
export function startProcessBatchSpan(consumerGroup: string, messages: readonly ReceivedMessage[]): Span {
  const topics = [...new Set(messages.map((m) => m.topic))];
  const links: Link[] = [];
  for (const message of messages) {
    const sender = spanContextOfTraceparent(message.traceparent);
    if (sender) links.push({ context: sender });
  }
  return tracer().startSpan(`process ${topics.length === 1 ? topics[0] : consumerGroup}`, {
    kind: SpanKind.CONSUMER,
    root: true,
    links,
    attributes: {
      [MESSAGING.system]: 'kafka',
      [MESSAGING.operationType]: 'process',
      [MESSAGING.operationName]: 'process',
      [MESSAGING.consumerGroup]: consumerGroup,
      [MESSAGING.batchCount]: messages.length,
      ...(topics.length === 1 && topics[0] ? { [MESSAGING.destination]: topics[0] } : {}),
    },
  });
}

/**
 * A CONSUMER span for processing one message of `batch`: a child of the span that sent it, so the message's own
 * trace reaches the read model, and linked to the batch span that did the work.
 */
export function startProcessSpan(consumerGroup: string, message: ReceivedMessage, batch: Span): Span {
  return tracer().startSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      links: [{ context: batch.spanContext() }],
      attributes: {
        [MESSAGING.system]: 'kafka',
        [MESSAGING.destination]: message.topic,
        [MESSAGING.partition]: String(message.partition),
        [MESSAGING.operationType]: 'process',
        [MESSAGING.operationName]: 'process',
        [MESSAGING.consumerGroup]: consumerGroup,
        [MESSAGING.offset]: Number(message.offset),
        ...(message.key !== undefined ? { [MESSAGING.key]: message.key } : {}),
        ...(message.id !== undefined ? { [MESSAGING.messageId]: message.id } : {}),
      },
    },
    contextOfTraceparent(message.traceparent),
  );
}
