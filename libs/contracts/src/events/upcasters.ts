import type { EventEnvelope } from '../cloudevents/cloud-event-headers';
import { defineUpcaster, type StreamFacts, type Upcaster } from '../consumer/event-registry';
import type { EventDefinition, PayloadOf } from '../event-definition';
import { predecessorOf, type EventTopic } from '../topics';
import { definitionOf, EVENT_CATALOG, type ConsumedEvent, type TandemEvent } from './event-catalog';
import {
  OrderLineAddedV1,
  OrderLineAddedV2,
  type OrderLineAdded,
  type OrderLineAddedV1Payload,
} from './order-line-added.event';

/**
 * What an upcast may need from the event's stream that the old version did not carry: the order's currency, which
 * its OrderCreated (version 1 of every order stream) has. A stateless consumer of `orders.order.v1` cannot know it
 * from one OrderLineAdded.v1 alone: that is what v2 fixes, and why `orders.order.v2` carries the line upcast.
 */
export interface OrderContext {
  readonly currency: string;
}

/** OrderLineAdded v1 → v2: the bare unit price takes the order's currency. Pure. */
export function upcastOrderLineAddedV1(v1: OrderLineAddedV1Payload, order: OrderContext): OrderLineAdded {
  return {
    orderId: v1.orderId,
    sku: v1.sku,
    quantity: v1.quantity,
    unitPrice: { amount: v1.unitPrice, currency: order.currency },
  };
}

/**
 * OrderLineAdded v2 → v1, for `orders.order.v1`: the amount alone. Nothing a v1 consumer could use is lost: the
 * currency of a line is always its order's, which that consumer has from the order's OrderCreated.
 */
export function downcastOrderLineAddedV2(v2: OrderLineAdded): OrderLineAddedV1Payload {
  return { orderId: v2.orderId, sku: v2.sku, quantity: v2.quantity, unitPrice: v2.unitPrice.amount };
}

export function isOrderLineAddedV1(
  data: OrderLineAddedV1Payload | OrderLineAdded,
): data is OrderLineAddedV1Payload {
  return typeof data.unitPrice === 'number';
}

/** Either version's payload as v2 (a v1 line takes `order`'s currency): one handler for both in a read model. */
export function latestOrderLineAdded(
  data: OrderLineAddedV1Payload | OrderLineAdded,
  order: OrderContext,
): OrderLineAdded {
  return isOrderLineAddedV1(data) ? upcastOrderLineAddedV1(data, order) : data;
}

/** The definition of the version a consumed event is in (OrderLineAdded v1 or v2; every other event is at v1). */
export function definitionOfEvent(event: ConsumedEvent): EventDefinition {
  if (event.type === 'OrderLineAdded' && isOrderLineAddedV1(event.data)) return OrderLineAddedV1;
  return definitionOf(event.type);
}

/** A version that needs its stream's context to be upcast was met without it. */
export class UpcastContextMissing extends Error {
  override readonly name = 'UpcastContextMissing';
}

/** The order's currency from the stream facts, for an upcast that cannot do without it. */
function orderOf(stream: StreamFacts, type: string): OrderContext {
  if (stream.orderCurrency === undefined) {
    throw new UpcastContextMissing(`${type} needs its order's currency to be upcast`);
  }
  return { currency: stream.orderCurrency };
}

/**
 * An upcaster that reads no CloudEvents attribute, only the payload and the stream facts it `needs`: the write side
 * runs it on the rows it loads (`upcastEvent`), which have no envelope to give. A decoder takes it as any `Upcaster`.
 */
export interface StreamUpcaster<
  From extends EventDefinition = EventDefinition,
  To extends EventDefinition = EventDefinition,
> extends Upcaster<From, To> {
  upcast(data: PayloadOf<From>, context: EventEnvelope | undefined, stream: StreamFacts): PayloadOf<To>;
}

const orderLineAddedV1ToV2: StreamUpcaster<typeof OrderLineAddedV1, typeof OrderLineAddedV2> = defineUpcaster(
  {
    from: OrderLineAddedV1,
    to: OrderLineAddedV2,
    needs: 'orderCurrency',
    upcast: (data: OrderLineAddedV1Payload, _context: EventEnvelope | undefined, stream: StreamFacts) =>
      upcastOrderLineAddedV1(data, orderOf(stream, OrderLineAddedV1.type)),
  },
);

/**
 * The upcasters Tandem ships, one per pair of consecutive major versions of an event (`defineUpcaster`), oldest
 * first: the consumer package's decoder applies them, so a consumer that handles only the newest version still reads
 * events of older ones (given the stream facts they need), and the write side applies them to the v1 rows it loads.
 */
export const UPCASTERS: readonly StreamUpcaster[] = [orderLineAddedV1ToV2];

/** The CloudEvents types whose upcast needs the order's currency. */
export const UPCASTS_NEEDING_ORDER_CURRENCY: readonly string[] = UPCASTERS.filter(
  (u) => u.needs === 'orderCurrency',
).map((u) => u.from.type);

/**
 * An event of any released version at its latest: unchanged when it already is, through the upcasters otherwise.
 * `order` is required for a version that needs it (else `UpcastContextMissing`).
 */
export function upcastEvent(
  definition: EventDefinition,
  payload: unknown,
  order?: OrderContext,
): TandemEvent {
  const latest = EVENT_CATALOG[definition.name as TandemEvent['type']];
  if (latest === undefined) throw new Error(`unknown event ${definition.name}`);
  const stream: StreamFacts = order ? { orderCurrency: order.currency } : {};
  let current = definition;
  let data = payload;
  while (current.version < latest.version) {
    const step = UPCASTERS.find((u) => u.from.type === current.type);
    if (!step) throw new Error(`no upcaster from ${current.type}`);
    data = step.upcast(current.schema.parse(data), undefined, stream);
    current = step.to;
  }
  return { type: latest.name, data } as TandemEvent;
}

/** A consumed event (any version) at its latest; `order` as for `upcastEvent`. */
export function latestEvent(event: ConsumedEvent, order?: OrderContext): TandemEvent {
  if (event.type !== 'OrderLineAdded' || !isOrderLineAddedV1(event.data)) return event as TandemEvent;
  if (!order) throw new UpcastContextMissing(`${OrderLineAddedV1.type} needs its order's currency`);
  return { type: 'OrderLineAdded', data: upcastOrderLineAddedV1(event.data, order) };
}

/** An event in one of the forms it is published in: the topic, the CloudEvents type and the payload. */
export interface PublishedForm {
  readonly topic: EventTopic;
  readonly type: string;
  readonly data: unknown;
}

/**
 * How an event is published. `v1`: on its aggregate's first topic (`orders.order.v1`, `orders.customer.v1`) in its
 * v1 form, as the releases before v2 published it. `latest`: on the topic that replaced that one, at its latest
 * version (null when that topic is still current, as for customers). The command service publishes `v1` during the
 * deprecation window only (`PUBLISH_V1_UNTIL`), `latest` always.
 */
export function publishedForms(event: TandemEvent): { v1: PublishedForm; latest: PublishedForm | null } {
  const current = definitionOf(event.type);
  const first = predecessorOf(current.topic);
  if (first === undefined)
    return { v1: { topic: current.topic, type: current.type, data: event.data }, latest: null };
  const latest = { topic: current.topic, type: current.type, data: event.data };
  const v1 = downcastToV1(event);
  return { v1: { topic: first, type: v1.definition.type, data: v1.data }, latest };
}

/**
 * The v1 form of an event (its definition and payload): what v1 consumers read, and what the event store keeps
 * while a release that cannot read v2 runs beside this one. Only OrderLineAdded differs.
 */
export function downcastToV1(event: TandemEvent): { definition: EventDefinition; data: unknown } {
  if (event.type === 'OrderLineAdded') {
    return { definition: OrderLineAddedV1, data: downcastOrderLineAddedV2(event.data) };
  }
  return { definition: definitionOf(event.type), data: event.data };
}
