import { diffRows, foldModels, moreOrdersCounted, type CheckedEvent } from './fold';

const ORDER = '00000000-0000-4000-8000-000000000001';
const CUSTOMER = '00000000-0000-4000-8000-0000000000c1';
const at = (second: number) => `2026-12-01T23:59:${String(second).padStart(2, '0')}.000Z`;
const event = (
  version: number,
  type: string,
  data: Record<string, unknown>,
  second: number,
): CheckedEvent => ({
  streamId: ORDER,
  version,
  type,
  data,
  time: at(second),
});

const order = [
  event(1, 'OrderCreated', { orderId: ORDER, customerId: CUSTOMER, currency: 'EUR' }, 1),
  event(2, 'OrderLineAdded', { orderId: ORDER, sku: 'A', quantity: 2, unitPrice: 150 }, 2),
  event(3, 'OrderLineAdded', { orderId: ORDER, sku: 'B', quantity: 1, unitPrice: 1000 }, 3),
  event(4, 'OrderLineRemoved', { orderId: ORDER, sku: 'A' }, 4),
  event(5, 'OrderPlaced', { orderId: ORDER, customerId: CUSTOMER, total: 1000, currency: 'EUR' }, 5),
  event(6, 'OrderShipped', { orderId: ORDER, customerId: CUSTOMER, total: 1000, currency: 'EUR' }, 6),
];
const customer: CheckedEvent[] = [
  {
    streamId: CUSTOMER,
    version: 1,
    type: 'CustomerRegistered',
    data: { customerId: CUSTOMER, name: 'Ada', email: 'ada@example.com', currency: 'EUR', creditLimit: 5000 },
    time: at(0),
  },
];

describe("the checker's own replay", () => {
  const folded = foldModels(new Map([[ORDER, order]]), new Map([[CUSTOMER, customer]]));

  it('folds an order summary: lines, total from what remains, version, the times of each step', () => {
    expect(folded.orderSummary.get(ORDER)).toEqual({
      order_id: ORDER,
      customer_id: CUSTOMER,
      status: 'shipped',
      currency: 'EUR',
      lines: JSON.stringify([{ sku: 'B', quantity: 1, unitPrice: 1000 }]),
      line_count: '1',
      total: '1000',
      version: '6',
      created_at: at(1),
      updated_at: at(6),
      placed_at: at(5),
      shipped_at: at(6),
      cancelled_at: null,
      cancel_reason: null,
      lines_changed_at: at(4),
    });
  });

  it('folds OrderLineAdded.v2 (the price with its currency) as v1 (the amount alone), and refuses another currency', () => {
    const v2 = order.map((e) =>
      e.type === 'OrderLineAdded'
        ? { ...e, data: { ...e.data, unitPrice: { amount: e.data['unitPrice'], currency: 'EUR' } } }
        : e,
    );
    const asV2 = foldModels(new Map([[ORDER, v2]]), new Map([[CUSTOMER, customer]]));
    expect(asV2.orderSummary.get(ORDER)).toEqual(folded.orderSummary.get(ORDER));
    const foreign = v2.map((e) =>
      e.version === 3 ? { ...e, data: { ...e.data, unitPrice: { amount: 1000, currency: 'USD' } } } : e,
    );
    const wrong = foldModels(new Map([[ORDER, foreign]]), new Map([[CUSTOMER, customer]]));
    expect(wrong.orderSummary.get(ORDER)?.['total']).toBe('a line without a readable price');
  });

  it('folds the customer dashboard: the registration, each order counted in its last status, lifetime value', () => {
    expect(folded.customerOrders.get(CUSTOMER)).toMatchObject({
      name: 'Ada',
      credit_limit: '5000',
      version: '1',
      draft_count: '0',
      placed_count: '0',
      shipped_count: '1',
      cancelled_count: '0',
      lifetime_value: '1000',
      registered_at: at(0),
      updated_at: at(6),
    });
  });

  it('folds daily sales per UTC day and currency', () => {
    expect([...folded.dailySales.values()]).toEqual([
      {
        day: '2026-12-01',
        currency: 'EUR',
        placed_count: '1',
        placed_total: '1000',
        shipped_count: '1',
        shipped_total: '1000',
        cancelled_count: '0',
        cancelled_total: '0',
      },
    ]);
  });

  it('tells a row counted twice from a row missing an event, and counts rows only on one side', () => {
    const expected = folded.customerOrders;
    const row = expected.get(CUSTOMER) ?? {};
    const doubled = new Map([[CUSTOMER, { ...row, shipped_count: '2', lifetime_value: '2000' }]]);
    expect(diffRows('customer_orders', expected, doubled, moreOrdersCounted)).toMatchObject({
      mismatched: 1,
      doubled: 1,
    });
    const behind = new Map([[CUSTOMER, { ...row, shipped_count: '0', placed_count: '1' }]]);
    expect(diffRows('customer_orders', expected, behind, moreOrdersCounted)).toMatchObject({
      mismatched: 1,
      doubled: 0,
    });
    expect(diffRows('customer_orders', expected, new Map(), moreOrdersCounted)).toMatchObject({
      mismatched: 1,
    });
    expect(diffRows('customer_orders', new Map(), expected, moreOrdersCounted)).toMatchObject({
      mismatched: 1,
    });
    expect(diffRows('customer_orders', expected, new Map(expected), moreOrdersCounted)).toMatchObject({
      mismatched: 0,
    });
  });
});
