import { TOPIC_EVENTS } from './event-catalog';
import { PUBLISHED_EVENTS, parseEvent } from './published-events';
import { OrderLineAddedV1, OrderLineAddedV2 } from './order-line-added.event';
import {
  definitionOfEvent,
  downcastOrderLineAddedV2,
  latestEvent,
  latestOrderLineAdded,
  publishedForms,
  upcastEvent,
  UpcastContextMissing,
  UPCASTERS,
  UPCASTS_NEEDING_ORDER_CURRENCY,
  upcastOrderLineAddedV1,
} from './upcasters';
import { ORDER_TOPIC, ORDER_TOPIC_V1, ORDER_TOPIC_V1_DEPRECATION, predecessorOf } from '../topics';

const orderId = '0b6f3c9e-6a35-4c1e-9d61-2f4f1c7a9e01';
const customerId = '7d2f8a41-3b5c-4e9a-8f10-6c2d9b3e4a52';
const v1 = { orderId, sku: 'BOOK-1', quantity: 2, unitPrice: 1999 };
const v2 = { orderId, sku: 'BOOK-1', quantity: 2, unitPrice: { amount: 1999, currency: 'CHF' } };

describe('OrderLineAdded v1 ⇄ v2', () => {
  it('upcasts v1 with the order currency, and downcasts v2 to exactly the v1 it came from', () => {
    expect(upcastOrderLineAddedV1(v1, { currency: 'CHF' })).toStrictEqual(v2);
    expect(downcastOrderLineAddedV2(v2)).toStrictEqual(v1);
    expect(OrderLineAddedV2.schema.parse(upcastOrderLineAddedV1(v1, { currency: 'CHF' }))).toStrictEqual(v2);
    expect(OrderLineAddedV1.schema.parse(downcastOrderLineAddedV2(v2))).toStrictEqual(v1);
  });

  it('gives either version as v2 to a read model that knows the order currency', () => {
    expect(latestOrderLineAdded(v1, { currency: 'CHF' })).toStrictEqual(v2);
    expect(latestOrderLineAdded(v2, { currency: 'EUR' })).toBe(v2);
    expect(latestEvent({ type: 'OrderLineAdded', data: v1 }, { currency: 'CHF' })).toStrictEqual({
      type: 'OrderLineAdded',
      data: v2,
    });
  });

  it('refuses to upcast v1 without the order currency: a stateless decoder cannot', () => {
    expect(() => upcastEvent(OrderLineAddedV1, v1)).toThrow(UpcastContextMissing);
    expect(() => latestEvent({ type: 'OrderLineAdded', data: v1 })).toThrow(UpcastContextMissing);
    expect(UPCASTS_NEEDING_ORDER_CURRENCY).toEqual(['tandem.orders.OrderLineAdded.v1']);
  });

  it('registers the upcaster for a decoder, which runs it only with the order currency it needs', () => {
    expect(UPCASTERS.map((u) => [u.from.type, u.to.type, u.needs])).toEqual([
      ['tandem.orders.OrderLineAdded.v1', 'tandem.orders.OrderLineAdded.v2', 'orderCurrency'],
    ]);
    expect(UPCASTERS[0]?.upcast(v1, undefined, { orderCurrency: 'CHF' })).toStrictEqual(v2);
    expect(() => UPCASTERS[0]?.upcast(v1, undefined, {})).toThrow(UpcastContextMissing);
  });

  it('validates a stored payload against its version before upcasting it', () => {
    expect(() => upcastEvent(OrderLineAddedV1, { ...v1, unitPrice: -1 }, { currency: 'EUR' })).toThrow();
  });

  it('tells a consumed event’s version by its shape', () => {
    expect(definitionOfEvent({ type: 'OrderLineAdded', data: v1 })).toBe(OrderLineAddedV1);
    expect(definitionOfEvent({ type: 'OrderLineAdded', data: v2 })).toBe(OrderLineAddedV2);
  });
});

describe('publication', () => {
  it('publishes an order event as v1 on orders.order.v1 and at its latest on orders.order.v2', () => {
    expect(publishedForms({ type: 'OrderLineAdded', data: v2 })).toEqual({
      v1: { topic: ORDER_TOPIC_V1, type: 'tandem.orders.OrderLineAdded.v1', data: v1 },
      latest: { topic: ORDER_TOPIC, type: 'tandem.orders.OrderLineAdded.v2', data: v2 },
    });
    const placed = { orderId, customerId, total: 3998, currency: 'CHF' };
    expect(publishedForms({ type: 'OrderPlaced', data: placed })).toEqual({
      v1: { topic: ORDER_TOPIC_V1, type: 'tandem.orders.OrderPlaced.v1', data: placed },
      latest: { topic: ORDER_TOPIC, type: 'tandem.orders.OrderPlaced.v1', data: placed },
    });
  });

  it('publishes a customer event once, on its current topic', () => {
    const data = { customerId, creditLimit: 1, previousCreditLimit: 0 };
    expect(publishedForms({ type: 'CustomerCreditLimitChanged', data })).toEqual({
      v1: { topic: 'orders.customer.v1', type: 'tandem.orders.CustomerCreditLimitChanged.v1', data },
      latest: null,
    });
  });

  it('names orders.order.v1 deprecated, with its sunset date and successor', () => {
    expect(predecessorOf(ORDER_TOPIC)).toBe(ORDER_TOPIC_V1);
    expect(ORDER_TOPIC_V1_DEPRECATION.replacedBy).toBe(ORDER_TOPIC);
    expect(ORDER_TOPIC_V1_DEPRECATION.sunset).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('carries every order event on both order topics, each at its latest version on v2 and at v1 on v1', () => {
    const names = (topic: keyof typeof TOPIC_EVENTS) => TOPIC_EVENTS[topic].map((d) => d.name);
    expect(names(ORDER_TOPIC)).toEqual(names(ORDER_TOPIC_V1));
    expect(TOPIC_EVENTS[ORDER_TOPIC_V1].every((d) => d.version === 1)).toBe(true);
    expect(TOPIC_EVENTS[ORDER_TOPIC].map((d) => d.type)).toContain('tandem.orders.OrderLineAdded.v2');
    expect(new Set(PUBLISHED_EVENTS.map((d) => d.type)).size).toBe(PUBLISHED_EVENTS.length);
  });
});

describe('parseEvent', () => {
  it('reads both released versions of OrderLineAdded, each against its own schema', () => {
    expect(parseEvent('tandem.orders.OrderLineAdded.v1', v1)).toMatchObject({
      ok: true,
      event: { data: v1 },
    });
    expect(parseEvent('tandem.orders.OrderLineAdded.v2', v2)).toMatchObject({
      ok: true,
      event: { data: v2 },
    });
    expect(parseEvent('tandem.orders.OrderLineAdded.v2', v1)).toMatchObject({
      ok: false,
      reason: 'invalid-payload',
    });
  });

  it('names the versions it understands when it meets another', () => {
    expect(parseEvent('tandem.orders.OrderLineAdded.v3', v2)).toEqual({
      ok: false,
      reason: 'unknown-version',
      message: 'event OrderLineAdded has major version 3, this consumer understands only v1, v2',
    });
  });
});
