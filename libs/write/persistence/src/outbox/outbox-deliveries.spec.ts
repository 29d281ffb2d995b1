import { InvalidOutboxEvent } from './kafka-outbox-publisher';
import { deliveriesOf, type PendingOutboxRow } from './outbox-deliveries';

const orderId = '0b6f3c9e-6a35-4c1e-9d61-2f4f1c7a9e01';
const envelope = (type: string) => ({
  id: 'e-1',
  type,
  source: '/tandem/command-service',
  subject: orderId,
  time: '2026-12-01T10:00:00.000Z',
  streamVersion: 2,
  correlationId: 'c',
  causationId: 'c',
});
const v1Line = { orderId, sku: 'A', quantity: 2, unitPrice: 150 };
const v2Line = { orderId, sku: 'A', quantity: 2, unitPrice: { amount: 150, currency: 'CHF' } };

function row(overrides: Partial<PendingOutboxRow>): PendingOutboxRow {
  return {
    position: '7',
    topic: 'orders.order.v1',
    message_key: orderId,
    envelope: envelope('tandem.orders.OrderLineAdded.v1'),
    payload: v1Line,
    latest_payload: v2Line,
    published: false,
    latest_published: false,
    order_currency: null,
    age_seconds: 0,
    ...overrides,
  };
}

const sent = (r: PendingOutboxRow, open = true) =>
  deliveriesOf(r, open).map((m) => [m.topic, m.envelope.type, m.payload]);

describe('outbox deliveries', () => {
  it('sends a row as v1 on its topic, then at its latest version on the topic that replaced it', () => {
    expect(sent(row({}))).toEqual([
      ['orders.order.v1', 'tandem.orders.OrderLineAdded.v1', v1Line],
      ['orders.order.v2', 'tandem.orders.OrderLineAdded.v2', v2Line],
    ]);
  });

  it('sends only what is left: the v2 delivery of a row the previous relay sent on v1', () => {
    expect(sent(row({ published: true }))).toEqual([
      ['orders.order.v2', 'tandem.orders.OrderLineAdded.v2', v2Line],
    ]);
    expect(sent(row({ published: true, latest_published: true }))).toEqual([]);
  });

  it('sends nothing on the deprecated topic once its window has closed', () => {
    expect(sent(row({}), false)).toEqual([['orders.order.v2', 'tandem.orders.OrderLineAdded.v2', v2Line]]);
  });

  it('upcasts a row the previous release wrote with its order currency, and refuses to guess without it', () => {
    expect(sent(row({ latest_payload: null, order_currency: 'CHF' }))[1]).toEqual([
      'orders.order.v2',
      'tandem.orders.OrderLineAdded.v2',
      v2Line,
    ]);
    expect(() => deliveriesOf(row({ latest_payload: null }), true)).toThrow(InvalidOutboxEvent);
  });

  it('sends an unchanged event under its own type on both, and a customer event once', () => {
    const placed = { orderId, customerId: orderId, total: 300, currency: 'CHF' };
    expect(
      sent(
        row({ envelope: envelope('tandem.orders.OrderPlaced.v1'), payload: placed, latest_payload: null }),
      ),
    ).toEqual([
      ['orders.order.v1', 'tandem.orders.OrderPlaced.v1', placed],
      ['orders.order.v2', 'tandem.orders.OrderPlaced.v1', placed],
    ]);
    const changed = { customerId: orderId, creditLimit: 1, previousCreditLimit: 0 };
    const customer = row({
      topic: 'orders.customer.v1',
      envelope: envelope('tandem.orders.CustomerCreditLimitChanged.v1'),
      payload: changed,
      latest_payload: null,
    });
    expect(sent(customer, false)).toEqual([
      ['orders.customer.v1', 'tandem.orders.CustomerCreditLimitChanged.v1', changed],
    ]);
  });
});
