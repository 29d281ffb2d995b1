/**
 * Kafka topics that carry Tandem's public events. A topic's `.vN` suffix is its major version: it carries every
 * event of its aggregate, each at its latest version within that major. An event unchanged since v1 keeps its `.v1`
 * type on `orders.order.v2`; an event's new major (OrderLineAdded.v2) is what made the topic's major.
 */
export const ORDER_TOPIC = 'orders.order.v2';
export const CUSTOMER_TOPIC = 'orders.customer.v1';
/** Deprecated (see `ORDER_TOPIC_V1_DEPRECATION`): every order event as v1, for consumers not yet on v2. */
export const ORDER_TOPIC_V1 = 'orders.order.v1';

/** Every topic published now, deprecated ones included: what the cluster must have, and the AsyncAPI channels. */
export const EVENT_TOPICS = [ORDER_TOPIC_V1, ORDER_TOPIC, CUSTOMER_TOPIC] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** The current topics, one per aggregate: what a new consumer reads, and what Tandem's own projections read. */
export const CURRENT_TOPICS = [ORDER_TOPIC, CUSTOMER_TOPIC] as const;

/** A topic kept for its consumers during a deprecation window, beside the one that replaces it. */
export interface TopicDeprecation {
  /**
   * The first day (UTC, ISO 8601 `YYYY-MM-DD`) on which the topic may receive nothing more: the command service
   * publishes on it strictly before this date (`PUBLISH_V1_UNTIL` may extend it; docs/services.md). Consumers must
   * have moved to `replacedBy` by then. Records already on the topic stay (topics keep everything).
   */
  readonly sunset: string;
  /** The topic that carries the same events, each at its latest version. */
  readonly replacedBy: EventTopic;
  /** What changed, for the consumer deciding to move. */
  readonly note?: string;
}

/**
 * Everything about one event topic, declared once: what it carries and how it is keyed (the contract), and how the
 * cluster keeps it (partitions, replication, retention). The services create topics from it in development
 * (`ensureTopics`), `npm run k8s:topics` renders it as Strimzi `KafkaTopic` resources and `npm run docs:asyncapi`
 * as the AsyncAPI channel and its Kafka bindings.
 */
export interface TopicDefinition {
  readonly description: string;
  /** The aggregate whose id is the message key (and `ce_subject`): one aggregate's events share a partition. */
  readonly aggregate: 'order' | 'customer';
  /**
   * Production partition count; it can grow, never shrink (growing moves keys, so it is a planned change). A topic
   * that replaces another has the same count, so that a key lands on the same partition number on both.
   */
  readonly partitions: number;
  readonly replicationFactor: number;
  /** With `acks=all` producers, a write is acknowledged by this many replicas; one broker may be down. */
  readonly minInsyncReplicas: number;
  /** -1: kept forever (time and size), so that any read model can be rebuilt from offset 0. */
  readonly retentionMs: -1;
  readonly retentionBytes: -1;
  /** `delete` (with infinite retention, nothing is deleted); never `compact`: every event counts, not the last. */
  readonly cleanupPolicy: 'delete';
  /**
   * Set when a newer major version replaces this topic: it is still published until `sunset`, then no longer.
   * Consumers move to `replacedBy` before that date. Rendered as `x-deprecated`/`x-sunset` in AsyncAPI.
   */
  readonly deprecation?: TopicDeprecation;
}

const KEPT_FOREVER = {
  partitions: 12,
  replicationFactor: 3,
  minInsyncReplicas: 2,
  retentionMs: -1,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
} as const;

/**
 * `orders.order.v1` is deprecated since OrderLineAdded.v2: it keeps carrying every order event, in the same
 * per-order order and with the same `ce_id`s, as v1 (an OrderLineAdded without its currency) until the sunset.
 */
export const ORDER_TOPIC_V1_DEPRECATION: TopicDeprecation = {
  sunset: '2027-07-01',
  replacedBy: ORDER_TOPIC,
  note: 'OrderLineAdded.v2 carries its unit price as { amount, currency }; orders.order.v2 carries every order event at its latest version.',
};

/** Every event topic; a topic added to `EVENT_TOPICS` must be declared here (the type says so). */
export const TOPICS: Readonly<Record<EventTopic, TopicDefinition>> = {
  [ORDER_TOPIC_V1]: {
    description: 'Every event of every order, in order per order, each as its v1.',
    aggregate: 'order',
    ...KEPT_FOREVER,
    deprecation: ORDER_TOPIC_V1_DEPRECATION,
  },
  [ORDER_TOPIC]: {
    description: 'Every event of every order, in order per order, each at its latest version.',
    aggregate: 'order',
    ...KEPT_FOREVER,
  },
  [CUSTOMER_TOPIC]: {
    description: 'Every event of every customer, in order per customer.',
    aggregate: 'customer',
    ...KEPT_FOREVER,
  },
};

/** Every deprecated topic, by name. */
export const DEPRECATED_TOPICS: Readonly<Partial<Record<EventTopic, TopicDeprecation>>> = Object.fromEntries(
  EVENT_TOPICS.flatMap((topic) => {
    const deprecation = TOPICS[topic].deprecation;
    return deprecation ? [[topic, deprecation]] : [];
  }),
);

/** The deprecated topic that `topic` replaced, if any (`orders.order.v2` → `orders.order.v1`). */
export function predecessorOf(topic: string): EventTopic | undefined {
  return EVENT_TOPICS.find((candidate) => DEPRECATED_TOPICS[candidate]?.replacedBy === topic);
}

/** Consumer groups: `<team>.<purpose>` (e.g. `billing.invoices`); `tandem.` is Tandem's own (`tandem.projection.<model>`). */
export const CONSUMER_GROUP_PATTERN = '^[a-z0-9][a-z0-9-]*\\.[a-z0-9][a-z0-9._-]*$';
