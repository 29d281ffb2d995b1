// Tandem's contracts: the events on Kafka, their CloudEvents envelope, the HTTP command routes with their bodies and
// the consistency token. The only code that the write side, the read side and the gateway share.
export * from './topics';
export * from './money';
export * from './currencies';
export * from './email';
export * from './event-definition';
export * from './events/customer-registered.event';
export * from './events/customer-credit-limit-changed.event';
export * from './events/order-created.event';
export * from './events/order-line-added.event';
export * from './events/order-line-removed.event';
export * from './events/order-placed.event';
export * from './events/order-shipped.event';
export * from './events/order-cancelled.event';
export * from './events/event-catalog';
export * from './events/upcasters';
export * from './cloudevents/cloud-event-headers';
export * from './consistency-token';
export * from './http/command-route';
export * from './http/customer.commands';
export * from './http/order.commands';
export * from './http/problem-members';
export * from './json-schemas';
export * from './http/read-models';
