/** Kafka topics that carry Tandem's public events. The `.v1` suffix is the topic's major version. */
export const ORDER_TOPIC = 'orders.order.v1';
export const CUSTOMER_TOPIC = 'orders.customer.v1';
export const EVENT_TOPICS = [ORDER_TOPIC, CUSTOMER_TOPIC] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];
