import type { EventDefinition } from '../event-definition';
import { CUSTOMER_TOPIC, ORDER_TOPIC, ORDER_TOPIC_V1, type EventTopic } from '../topics';
import {
  CustomerCreditLimitChangedV1,
  type CustomerCreditLimitChanged,
} from './customer-credit-limit-changed.event';
import { CustomerRegisteredV1, type CustomerRegistered } from './customer-registered.event';
import { OrderCancelledV1, type OrderCancelled } from './order-cancelled.event';
import { OrderCreatedV1, type OrderCreated } from './order-created.event';
import {
  OrderLineAddedV1,
  OrderLineAddedV2,
  type OrderLineAdded,
  type OrderLineAddedV1Payload,
} from './order-line-added.event';
import { OrderLineRemovedV1, type OrderLineRemoved } from './order-line-removed.event';
import { OrderPlacedV1, type OrderPlaced } from './order-placed.event';
import { OrderShippedV1, type OrderShipped } from './order-shipped.event';

/** Every order event at its latest version: what the write side decides, stores and folds. */
export type OrderEvent =
  | { type: 'OrderCreated'; data: OrderCreated }
  | { type: 'OrderLineAdded'; data: OrderLineAdded }
  | { type: 'OrderLineRemoved'; data: OrderLineRemoved }
  | { type: 'OrderPlaced'; data: OrderPlaced }
  | { type: 'OrderShipped'; data: OrderShipped }
  | { type: 'OrderCancelled'; data: OrderCancelled };

export type CustomerEvent =
  | { type: 'CustomerRegistered'; data: CustomerRegistered }
  | { type: 'CustomerCreditLimitChanged'; data: CustomerCreditLimitChanged };

/** Every event Tandem publishes, as `{ type, data }` with `type` the event name, each at its latest version. */
export type TandemEvent = OrderEvent | CustomerEvent;
export type TandemEventName = TandemEvent['type'];

/** OrderLineAdded as v1 carried it (a bare unit price): superseded, still on `orders.order.v1` and in old streams. */
export type OrderLineAddedV1Event = { type: 'OrderLineAdded'; data: OrderLineAddedV1Payload };

/**
 * Any released version of any event: what a consumer can receive (a deprecated topic, an old record) and what a read
 * model must therefore take. Only OrderLineAdded has two; `latestOrderLineAdded` (upcasters.ts) makes either v2.
 */
export type ConsumedEvent = TandemEvent | OrderLineAddedV1Event;

/** The current (latest) definition of every event, one per name. */
export const EVENT_CATALOG: Record<TandemEventName, EventDefinition> = {
  OrderCreated: OrderCreatedV1,
  OrderLineAdded: OrderLineAddedV2,
  OrderLineRemoved: OrderLineRemovedV1,
  OrderPlaced: OrderPlacedV1,
  OrderShipped: OrderShippedV1,
  OrderCancelled: OrderCancelledV1,
  CustomerRegistered: CustomerRegisteredV1,
  CustomerCreditLimitChanged: CustomerCreditLimitChangedV1,
};

/** Versions that a later major superseded, still published on a deprecated topic and still read. */
export const SUPERSEDED_EVENTS: readonly EventDefinition[] = [OrderLineAddedV1];

/**
 * What each topic carries. `orders.order.v2`: every order event at its latest version; the deprecated
 * `orders.order.v1`: every order event as v1 (a v2 line downcast); `orders.customer.v1`: the customer's events.
 */
export const TOPIC_EVENTS: Readonly<Record<EventTopic, readonly EventDefinition[]>> = {
  [ORDER_TOPIC]: [
    OrderCreatedV1,
    OrderLineAddedV2,
    OrderLineRemovedV1,
    OrderPlacedV1,
    OrderShippedV1,
    OrderCancelledV1,
  ],
  [ORDER_TOPIC_V1]: [
    OrderCreatedV1,
    OrderLineAddedV1,
    OrderLineRemovedV1,
    OrderPlacedV1,
    OrderShippedV1,
    OrderCancelledV1,
  ],
  [CUSTOMER_TOPIC]: [CustomerRegisteredV1, CustomerCreditLimitChangedV1],
};

/** The current definition of an event. */
export function definitionOf(name: TandemEventName): EventDefinition {
  return EVENT_CATALOG[name];
}
