import { z } from 'zod';
import { toKafkaHeaders, type EventEnvelope } from '../cloudevents/cloud-event-headers';
import { defineEvent } from '../event-definition';
import { OrderLineAddedV1, OrderLineAddedV2 } from '../events/order-line-added.event';
import { OrderPlacedV1 } from '../events/order-placed.event';
import { PUBLISHED_EVENTS } from '../events/published-events';
import { ORDER_TOPIC } from '../topics';
import { EventDecoder } from './event-decoder';
import { defineUpcaster, EventRegistry } from './event-registry';

const orderId = '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10';
const customerId = '6f1c0d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';
const envelope = (type: string): EventEnvelope => ({
  id: '9d4f8f3e-5a4b-4c3d-8e2f-1a0b9c8d7e6f',
  type,
  source: '/tandem/command-service',
  subject: orderId,
  time: '2026-11-29T10:00:00.000Z',
  streamVersion: 4,
  correlationId: 'corr-1',
  causationId: 'cmd-1',
});
const placed = { orderId, customerId, total: 4897, currency: 'EUR' };
const kafkaMessage = (type: string, payload: unknown) => ({
  key: Buffer.from(orderId),
  value: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  headers: Object.fromEntries(
    Object.entries(toKafkaHeaders(envelope(type))).map(([k, v]) => [k, Buffer.from(v)]),
  ),
});

// A fixture of a second major version and its upcaster, as a real v2 would be registered.
const OrderPlacedV2 = defineEvent({
  name: 'OrderPlaced',
  version: 2,
  topic: ORDER_TOPIC,
  description: 'fixture: money as an object',
  schema: z
    .object({
      orderId: z.uuid(),
      total: z.object({ amount: z.number().int(), currency: z.string() }).strict(),
    })
    .strict(),
});
const v1ToV2 = defineUpcaster({
  from: OrderPlacedV1,
  to: OrderPlacedV2,
  upcast: (data) => ({ orderId: data.orderId, total: { amount: data.total, currency: data.currency } }),
});

describe('the event decoder', () => {
  const decoder = new EventDecoder();

  it('reads the envelope from the ce_ headers and the payload from the value, by its type', () => {
    const result = decoder.decode(kafkaMessage(OrderPlacedV1.type, placed));
    expect(result).toEqual({
      ok: true,
      event: {
        type: OrderPlacedV1.type,
        name: 'OrderPlaced',
        version: 1,
        data: placed,
        context: envelope(OrderPlacedV1.type),
        key: orderId,
        upcastFrom: [],
      },
    });
  });

  it('knows every published event version', () => {
    for (const definition of PUBLISHED_EVENTS)
      expect(decoder.registry.definition(definition.type)).toBe(definition);
  });

  it('ignores properties it does not know (a later compatible revision), unless strict', () => {
    const later = { ...placed, giftWrap: true };
    const read = decoder.decode(kafkaMessage(OrderPlacedV1.type, later));
    expect(read.ok && read.event.data).toEqual(placed);
    const strict = new EventDecoder({ strict: true }).decode(kafkaMessage(OrderPlacedV1.type, later));
    expect(strict).toMatchObject({ ok: false, reason: 'invalid-payload' });
  });

  it.each([
    [
      'an unknown version',
      kafkaMessage('tandem.orders.OrderPlaced.v9', placed),
      'unknown-version',
      /knows OrderPlaced v1 only/,
    ],
    [
      'an unknown type',
      kafkaMessage('tandem.orders.OrderArchived.v1', placed),
      'unknown-type',
      /unknown event type/,
    ],
    ['a value that is not JSON', kafkaMessage(OrderPlacedV1.type, '{nope'), 'invalid-json', /not JSON/],
    [
      'an invalid payload',
      kafkaMessage(OrderPlacedV1.type, { ...placed, total: -1 }),
      'invalid-payload',
      /total/,
    ],
    [
      'missing headers',
      { key: null, value: Buffer.from('{}'), headers: {} },
      'invalid-envelope',
      /missing header/,
    ],
  ])('refuses %s, saying why (a dead letter: retrying cannot help)', (_case, message, reason, text) => {
    const result = decoder.decode(message);
    expect(result).toMatchObject({ ok: false, reason });
    expect(!result.ok && result.message).toMatch(text);
  });

  describe('with an upcaster registered', () => {
    const registry = new EventRegistry(PUBLISHED_EVENTS).registerUpcaster(v1ToV2);

    it('hands over v1 events as v2, with the context as written', () => {
      const result = new EventDecoder({ registry }).decode(kafkaMessage(OrderPlacedV1.type, placed));
      expect(result).toMatchObject({
        ok: true,
        event: {
          type: OrderPlacedV2.type,
          version: 2,
          data: { orderId, total: { amount: 4897, currency: 'EUR' } },
          context: { type: OrderPlacedV1.type },
          upcastFrom: [OrderPlacedV1.type],
        },
      });
    });

    it('reads v2 as it is, and stops where asked or when told not to upcast', () => {
      const v2 = { orderId, total: { amount: 1, currency: 'EUR' } };
      expect(new EventDecoder({ registry }).decode(kafkaMessage(OrderPlacedV2.type, v2))).toMatchObject({
        ok: true,
        event: { version: 2, upcastFrom: [] },
      });
      const asWritten = { ok: true, event: { version: 1, data: placed } };
      expect(
        new EventDecoder({ registry, upcast: 'none' }).decode(kafkaMessage(OrderPlacedV1.type, placed)),
      ).toMatchObject(asWritten);
      expect(
        new EventDecoder({ registry }).decode(kafkaMessage(OrderPlacedV1.type, placed), {
          until: OrderPlacedV1.type,
        }),
      ).toMatchObject(asWritten);
    });

    it('refuses an upcast whose result breaks the newer schema', () => {
      const broken = new EventRegistry(PUBLISHED_EVENTS).registerUpcaster(
        defineUpcaster({
          from: OrderPlacedV1,
          to: OrderPlacedV2,
          upcast: (data) => ({ orderId: data.orderId }) as never,
        }),
      );
      expect(
        new EventDecoder({ registry: broken }).decode(kafkaMessage(OrderPlacedV1.type, placed)),
      ).toMatchObject({
        ok: false,
        reason: 'upcast-failed',
      });
    });
  });

  describe('with the upcaster Tandem ships (OrderLineAdded v1 → v2, which needs its order’s currency)', () => {
    const line = { orderId, sku: 'BOOK-1', quantity: 2, unitPrice: 1999 };
    const message = kafkaMessage(OrderLineAddedV1.type, line);

    it('upcasts a v1 line when the consumer gives the order currency', () => {
      expect(decoder.decode(message, { stream: { orderCurrency: 'EUR' } })).toMatchObject({
        ok: true,
        event: {
          type: OrderLineAddedV2.type,
          version: 2,
          data: { ...line, unitPrice: { amount: 1999, currency: 'EUR' } },
          upcastFrom: [OrderLineAddedV1.type],
        },
      });
    });

    it('hands a v1 line over as written when it does not: no guessed currency, no dead letter', () => {
      expect(decoder.decode(message)).toMatchObject({
        ok: true,
        event: { type: OrderLineAddedV1.type, version: 1, data: line, upcastFrom: [] },
      });
    });
  });

  it('refuses an upcaster that goes backwards, to another event, or twice from one version', () => {
    expect(() => defineUpcaster({ from: OrderPlacedV2, to: OrderPlacedV1, upcast: () => placed })).toThrow(
      /later one/,
    );
    const registry = new EventRegistry().registerUpcaster(v1ToV2);
    expect(() => registry.registerUpcaster(v1ToV2)).toThrow(/already has an upcaster/);
  });
});
