/** Kafka topics that carry Tandem's public events. The `.v1` suffix is the topic's major version. */
export const ORDER_TOPIC = 'orders.order.v1';
export const CUSTOMER_TOPIC = 'orders.customer.v1';
export const EVENT_TOPICS = [ORDER_TOPIC, CUSTOMER_TOPIC] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

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
  /** Production partition count; it can grow, never shrink (growing moves keys, so it is a planned change). */
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
   * Set when a newer major version replaces this topic: it is still published until `sunset` (an ISO 8601 date),
   * then no longer. Consumers move to `replacedBy` before that date.
   */
  readonly deprecation?: { readonly sunset: string; readonly replacedBy: string; readonly note?: string };
}

const KEPT_FOREVER = {
  partitions: 12,
  replicationFactor: 3,
  minInsyncReplicas: 2,
  retentionMs: -1,
  retentionBytes: -1,
  cleanupPolicy: 'delete',
} as const;

/** Every event topic; a topic added to `EVENT_TOPICS` must be declared here (the type says so). */
export const TOPICS: Readonly<Record<EventTopic, TopicDefinition>> = {
  [ORDER_TOPIC]: {
    description: 'Every event of every order, in order per order.',
    aggregate: 'order',
    ...KEPT_FOREVER,
  },
  [CUSTOMER_TOPIC]: {
    description: 'Every event of every customer, in order per customer.',
    aggregate: 'customer',
    ...KEPT_FOREVER,
  },
};

/** Consumer groups: `<team>.<purpose>` (e.g. `billing.invoices`); `tandem.` is Tandem's own (`tandem.projection.<model>`). */
export const CONSUMER_GROUP_PATTERN = '^[a-z0-9][a-z0-9-]*\\.[a-z0-9][a-z0-9._-]*$';
