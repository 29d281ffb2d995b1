/**
 * Kafka topics that carry Tandem's public events. A topic's `.vN` suffix is its major version: it carries every
 * event of its aggregate, each at its latest version within that major. An event unchanged since v1 keeps its `.v1`
 * type on `orders.order.v2`; an event's new major (OrderLineAdded.v2) is what made the topic's major.
 */
export const ORDER_TOPIC = 'orders.order.v2';
export const CUSTOMER_TOPIC = 'orders.customer.v1';
/** Deprecated (see `ORDER_TOPIC_V1_DEPRECATION`): every order event as v1, for consumers not yet on v2. */
export const ORDER_TOPIC_V1 = 'orders.order.v1';

/** The topics published now, deprecated ones included: what the cluster must have. */
export const PUBLISHED_TOPICS = [ORDER_TOPIC_V1, ORDER_TOPIC, CUSTOMER_TOPIC] as const;
export type EventTopic = (typeof PUBLISHED_TOPICS)[number];

/** The current topics, one per aggregate: what a new consumer reads, and what Tandem's own projections read. */
export const EVENT_TOPICS = [ORDER_TOPIC, CUSTOMER_TOPIC] as const;

/** A topic kept for its consumers during a deprecation window, beside the one that replaces it. */
export interface TopicDeprecation {
  /**
   * The first day (UTC, `YYYY-MM-DD`) on which the topic may receive nothing more: the command service publishes on
   * it strictly before this date (`PUBLISH_V1_UNTIL` may extend it; docs/services.md). Consumers must have moved to
   * `successor` by then. Records already on the topic stay (topics keep everything).
   */
  readonly sunset: string;
  /** The topic that carries the same events, each at its latest version. */
  readonly successor: EventTopic;
  /** What changed, for the consumer deciding to move. */
  readonly reason: string;
}

/**
 * `orders.order.v1` is deprecated since OrderLineAdded.v2: it keeps carrying every order event, in the same
 * per-order order and with the same `ce_id`s, as v1 (an OrderLineAdded without its currency) until the sunset.
 * Rendered into the AsyncAPI document (`deprecated` and the sunset date of its channel).
 */
export const ORDER_TOPIC_V1_DEPRECATION: TopicDeprecation = {
  sunset: '2027-07-01',
  successor: ORDER_TOPIC,
  reason:
    'OrderLineAdded.v2 carries its unit price as { amount, currency }; orders.order.v2 carries every order event at its latest version',
};

/** Every deprecated topic, by name. */
export const DEPRECATED_TOPICS: Readonly<Partial<Record<EventTopic, TopicDeprecation>>> = {
  [ORDER_TOPIC_V1]: ORDER_TOPIC_V1_DEPRECATION,
};

/** The deprecated topic that `topic` replaced, if any (`orders.order.v2` → `orders.order.v1`). */
export function predecessorOf(topic: string): EventTopic | undefined {
  return PUBLISHED_TOPICS.find((candidate) => DEPRECATED_TOPICS[candidate]?.successor === topic);
}
