import { z } from 'zod';
import {
  CE_HEADERS,
  cloudEventHeaderSchemas,
  EVENT_CONTENT_TYPE,
  REQUIRED_CE_HEADERS,
} from '../cloudevents/cloud-event-headers';
import type { EventDefinition } from '../event-definition';
import { TOPIC_EVENTS } from '../events/event-catalog';
import { PUBLISHED_EVENTS } from '../events/published-events';
import { CONSUMER_GROUP_PATTERN, TOPICS, type TopicDefinition } from '../topics';
import { CONTRACT_VERSION } from '../version';
import EXAMPLES from './event-examples.json';

/**
 * The AsyncAPI 3.0 document of Tandem's events, built from the contract itself: one channel per topic
 * (`TOPICS`), one message per published event version (`PUBLISHED_EVENTS`) with its CloudEvents headers and its
 * payload schema (the zod definition, as JSON Schema draft-07), Kafka bindings from the topic declarations, and
 * examples captured from a real run (`event-examples.json`, written by `npm run docs:asyncapi -- --capture`).
 * `npm run docs:asyncapi` writes it to docs/asyncapi.yaml; the gateway serves it at /api/asyncapi.json.
 */
export type AsyncApiDocument = Record<string, unknown>;

/** A message as it was seen on Kafka: its key, its headers (as strings) and its JSON payload. */
export interface CapturedEvent {
  key: string;
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

const KAFKA_BINDING = '0.5.0';

const DESCRIPTION = `
Tandem's order and customer events, as other teams consume them from Kafka.

- **CloudEvents 1.0, Kafka protocol binding, binary content mode**: the value is the JSON payload alone; the event's
  attributes are \`ce_*\` headers (each message lists them), plus \`content-type: application/json\`.
- **Key** = the aggregate id (= \`ce_subject\`): one aggregate's events share a partition, in the order they
  happened; \`ce_streamversion\` goes 1, 2, 3… per aggregate without gaps.
- **At least once**: the same event (same \`ce_id\`) can arrive twice. Deduplicate on \`ce_id\`, or keep the last
  applied \`ce_streamversion\` per key.
- **Retention is infinite**: a new consumer group can read every event from offset 0.
- **Versions**: \`ce_type\` ends with the event's major version (\`….v1\`). Within a major version every change is
  FULL_TRANSITIVE compatible (only optional properties are added): read with a tolerant reader that ignores
  properties it does not know. A breaking change is a new major version on a topic of its own, published beside
  the old one until the old topic's sunset (\`x-sunset\` on its channel).
- **Consumer groups**: one per consuming application, named \`<team>.<purpose>\`; \`tandem.*\` is Tandem's own.
`.trim();

/** `orders.order.v1` → `ordersOrderV1` (AsyncAPI ids are letters, digits, `_` and `-`). */
export const channelId = (topic: string): string =>
  topic.replace(/[.-](\w)/g, (_, letter: string) => letter.toUpperCase());
/** `tandem.orders.OrderPlaced.v1` → `OrderPlacedV1`. */
export const messageId = (definition: EventDefinition): string => `${definition.name}V${definition.version}`;

/** A zod schema as a plain draft-07 JSON Schema, without the `$schema` marker AsyncAPI does not take. */
function payloadSchema(definition: EventDefinition): Record<string, unknown> {
  const { $schema: _marker, ...schema } = z.toJSONSchema(definition.schema, { target: 'draft-7' });
  return {
    title: `${definition.name} v${definition.version}`,
    description: definition.description,
    ...schema,
  };
}

function headersSchema(definition: EventDefinition): Record<string, unknown> {
  return {
    type: 'object',
    description: 'CloudEvents attributes (binary content mode): every header Tandem sets, and no other.',
    properties: cloudEventHeaderSchemas(definition.type),
    required: [...REQUIRED_CE_HEADERS],
    additionalProperties: false,
  };
}

/** What the document is built from: the contract's topics and published events (tests pass others). */
export interface AsyncApiSources {
  topics: Readonly<Record<string, TopicDefinition>>;
  events: readonly EventDefinition[];
  /**
   * The versions each topic carries (`TOPIC_EVENTS`: `orders.order.v2` has OrderCreated.v1 beside
   * OrderLineAdded.v2). A topic not listed carries the events whose own `topic` it is.
   */
  carries: Readonly<Record<string, readonly EventDefinition[] | undefined>>;
  /** A captured message per CloudEvents type. */
  examples: Readonly<Record<string, CapturedEvent | undefined>>;
}

function message(definition: EventDefinition, sources: AsyncApiSources): Record<string, unknown> {
  const topic = sources.topics[definition.topic];
  if (!topic)
    throw new Error(`${definition.type} travels on ${definition.topic}, which TOPICS does not declare`);
  const example = sources.examples[definition.type];
  return {
    name: definition.type,
    title: `${definition.name} v${definition.version}`,
    summary: definition.description,
    contentType: EVENT_CONTENT_TYPE,
    headers: headersSchema(definition),
    payload: payloadSchema(definition),
    correlationId: {
      description: 'The request that started the chain of commands and events.',
      location: `$message.header#/${CE_HEADERS.correlationId}`,
    },
    bindings: {
      kafka: {
        key: { type: 'string', format: 'uuid', description: `The ${topic.aggregate} id (= ce_subject).` },
        bindingVersion: KAFKA_BINDING,
      },
    },
    ...(example
      ? {
          examples: [
            {
              name: 'captured',
              summary: `A real ${definition.name} v${definition.version}, as a run of the system published it (key ${example.key}).`,
              headers: example.headers,
              payload: example.payload,
            },
          ],
        }
      : {}),
  };
}

function channel(
  topic: string,
  definition: TopicDefinition,
  messages: EventDefinition[],
): Record<string, unknown> {
  const deprecation = definition.deprecation;
  const notice = deprecation
    ? `\n\n**Deprecated**: published until ${deprecation.sunset}, then no longer; move to \`${deprecation.replacedBy}\`.${deprecation.note ? ` ${deprecation.note}` : ''}`
    : '';
  return {
    address: topic,
    title: topic,
    description: `${definition.description} Key: the ${definition.aggregate} id.${notice}`,
    messages: Object.fromEntries(
      messages.map((m) => [messageId(m), { $ref: `#/components/messages/${messageId(m)}` }]),
    ),
    bindings: {
      kafka: {
        topic,
        partitions: definition.partitions,
        replicas: definition.replicationFactor,
        topicConfiguration: {
          'cleanup.policy': [definition.cleanupPolicy],
          'retention.ms': definition.retentionMs,
          'retention.bytes': definition.retentionBytes,
          'min.insync.replicas': definition.minInsyncReplicas,
        },
        bindingVersion: KAFKA_BINDING,
      },
    },
    ...(deprecation
      ? { 'x-deprecated': true, 'x-sunset': deprecation.sunset, 'x-replaced-by': deprecation.replacedBy }
      : {}),
  };
}

function operations(
  topic: string,
  { aggregate }: TopicDefinition,
  messages: EventDefinition[],
): Array<[string, Record<string, unknown>]> {
  const id = channelId(topic);
  const refs = messages.map((m) => ({ $ref: `#/channels/${id}/messages/${messageId(m)}` }));
  return [
    [
      `publish${id[0]?.toUpperCase()}${id.slice(1)}`,
      {
        action: 'send',
        channel: { $ref: `#/channels/${id}` },
        summary: `The command service publishes every committed ${aggregate} event, in order per ${aggregate}.`,
        description:
          'Events leave through the transactional outbox after their command committed: an idempotent producer, acks from all in-sync replicas, one request in flight.',
        messages: refs,
      },
    ],
    [
      `consume${id[0]?.toUpperCase()}${id.slice(1)}`,
      {
        action: 'receive',
        channel: { $ref: `#/channels/${id}` },
        summary: `Another team consumes the ${aggregate} events, as a consumer group of its own.`,
        description:
          'Start from the beginning (auto.offset.reset=earliest), commit after an event was applied, dead-letter what cannot be read rather than stop.',
        messages: refs,
        bindings: {
          kafka: {
            groupId: {
              type: 'string',
              pattern: CONSUMER_GROUP_PATTERN,
              description: 'One group per consuming application: `<team>.<purpose>`; `tandem.*` is reserved.',
              examples: ['billing.invoices'],
            },
            bindingVersion: KAFKA_BINDING,
          },
        },
      },
    ],
  ];
}

const CONTRACT: AsyncApiSources = {
  topics: TOPICS,
  events: PUBLISHED_EVENTS,
  carries: TOPIC_EVENTS,
  examples: EXAMPLES as Record<string, CapturedEvent | undefined>,
};

export function asyncApiDocument(sources: Partial<AsyncApiSources> = {}): AsyncApiDocument {
  return buildDocument({ ...CONTRACT, ...sources });
}

function buildDocument(sources: AsyncApiSources): AsyncApiDocument {
  const byTopic = Object.entries(sources.topics).map(
    ([topic, definition]) =>
      [
        topic,
        definition,
        sources.carries[topic]?.filter((d) => sources.events.includes(d)) ??
          sources.events.filter((d) => d.topic === topic),
      ] as const,
  );
  return {
    asyncapi: '3.0.0',
    id: 'urn:tandem:orders:events',
    info: {
      title: 'Tandem events',
      version: CONTRACT_VERSION,
      description: DESCRIPTION,
      license: { name: 'MIT' },
    },
    defaultContentType: EVENT_CONTENT_TYPE,
    servers: {
      development: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description:
          'The development broker of `npm start`, or Apache Kafka from `npm run kafka -- --port 9092`.',
      },
    },
    channels: Object.fromEntries(
      byTopic.map(([topic, definition, messages]) => [
        channelId(topic),
        channel(topic, definition, messages),
      ]),
    ),
    operations: Object.fromEntries(
      byTopic.flatMap(([topic, definition, messages]) => operations(topic, definition, messages)),
    ),
    components: {
      messages: Object.fromEntries(
        sources.events.map((definition) => [messageId(definition), message(definition, sources)]),
      ),
    },
  };
}
