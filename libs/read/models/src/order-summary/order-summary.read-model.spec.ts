import type { ConsumedEvent, TandemEvent } from '@tandem/contracts';
import type { ModelEvent } from '@tandem/platform/read-model';
import { orderSummaryModel, type OrderSummaryRow } from './order-summary.read-model';

const ORDER = '00000000-0000-4000-8000-000000000001';
const CUSTOMER = '00000000-0000-4000-8000-000000000002';

/** The events of one order stream, versions 1, 2, 3… */
function stream(...events: Array<[time: string, event: ConsumedEvent]>): ModelEvent<ConsumedEvent>[] {
  return events.map(([time, event], i) => ({
    envelope: {
      id: `e${i}`,
      type: event.type,
      source: 'test',
      subject: ORDER,
      time,
      streamVersion: i + 1,
      correlationId: 'c',
      causationId: 'c',
    },
    event,
  }));
}

/** Given these events, the row `evolve` leaves. */
const given = (events: ModelEvent<ConsumedEvent>[]): OrderSummaryRow | null =>
  events.reduce<OrderSummaryRow | null>((row, event) => orderSummaryModel.evolve(row, event), null);

const created: TandemEvent = {
  type: 'OrderCreated',
  data: { orderId: ORDER, customerId: CUSTOMER, currency: 'EUR' },
};
const line = (sku: string, quantity: number, unitPrice: number): TandemEvent => ({
  type: 'OrderLineAdded',
  data: { orderId: ORDER, sku, quantity, unitPrice: { amount: unitPrice, currency: 'EUR' } },
});

describe('order summary', () => {
  it('starts a draft row, its created_at at millisecond precision (the list keyset), its updated_at as the event said', () => {
    expect(given(stream(['2026-11-28T11:00:00.123456+01:00', created]))).toMatchObject({
      order_id: ORDER,
      customer_id: CUSTOMER,
      status: 'draft',
      currency: 'EUR',
      lines: [],
      line_count: 0,
      total: 0,
      version: 1,
      created_at: '2026-11-28T10:00:00.123Z',
      updated_at: '2026-11-28T11:00:00.123456+01:00',
      placed_at: null,
    });
  });

  it('adds lines to the total; removing a SKU removes every line with it and recomputes total and count', () => {
    const row = given(
      stream(
        ['2026-11-28T10:00:00.000Z', created],
        ['2026-11-28T10:00:01.000Z', line('A', 2, 150)],
        ['2026-11-28T10:00:02.000Z', line('B', 1, 500)],
        ['2026-11-28T10:00:03.000Z', line('A', 1, 150)],
        ['2026-11-28T10:00:04.000Z', { type: 'OrderLineRemoved', data: { orderId: ORDER, sku: 'A' } }],
      ),
    );
    expect(row).toMatchObject({
      lines: [{ sku: 'B', quantity: 1, unitPrice: 500 }],
      line_count: 1,
      total: 500,
      version: 5,
      updated_at: '2026-11-28T10:00:04.000Z',
    });
  });

  it('takes a v1 line (orders.order.v1, no currency) in the order currency, as it takes a v2 one', () => {
    const v1: ConsumedEvent = {
      type: 'OrderLineAdded',
      data: { orderId: ORDER, sku: 'A', quantity: 2, unitPrice: 150 },
    };
    const asV1 = given(stream(['2026-11-28T10:00:00.000Z', created], ['2026-11-28T10:00:01.000Z', v1]));
    const asV2 = given(
      stream(['2026-11-28T10:00:00.000Z', created], ['2026-11-28T10:00:01.000Z', line('A', 2, 150)]),
    );
    expect(asV1).toStrictEqual(asV2);
    expect(asV1).toMatchObject({ lines: [{ sku: 'A', quantity: 2, unitPrice: 150 }], total: 300 });
  });

  it('rejects a v2 line priced in another currency than its order', () => {
    const other: TandemEvent = {
      type: 'OrderLineAdded',
      data: { orderId: ORDER, sku: 'A', quantity: 1, unitPrice: { amount: 1, currency: 'USD' } },
    };
    expect(() =>
      given(stream(['2026-11-28T10:00:00.000Z', created], ['2026-11-28T10:00:01.000Z', other])),
    ).toThrow(`OrderLineAdded for ${ORDER}: priced in USD, the order is in EUR`);
  });

  it('moves the status with placement, shipment and cancellation, each stamped with its time', () => {
    const money = { orderId: ORDER, customerId: CUSTOMER, total: 300, currency: 'EUR' };
    const placing: Array<[string, TandemEvent]> = [
      ['2026-11-28T10:00:00.000Z', created],
      ['2026-11-28T10:00:01.000Z', line('A', 2, 150)],
      ['2026-11-28T10:00:02.000Z', { type: 'OrderPlaced', data: money }],
    ];
    expect(given(stream(...placing))).toMatchObject({
      status: 'placed',
      placed_at: '2026-11-28T10:00:02.000Z',
      total: 300,
    });
    expect(
      given(stream(...placing, ['2026-11-28T10:00:03.000Z', { type: 'OrderShipped', data: money }])),
    ).toMatchObject({ status: 'shipped', shipped_at: '2026-11-28T10:00:03.000Z', version: 4 });
    const cancelled: TandemEvent = {
      type: 'OrderCancelled',
      data: { ...money, reason: 'changed mind', previousStatus: 'placed' },
    };
    expect(
      given(stream(['2026-11-28T10:00:00.000Z', created], ['2026-11-28T10:00:05.000Z', cancelled])),
    ).toMatchObject({
      status: 'cancelled',
      cancelled_at: '2026-11-28T10:00:05.000Z',
      cancel_reason: 'changed mind',
      version: 2,
    });
  });

  it('keeps the time of the last line added or removed in lines_changed_at; nothing else moves it', () => {
    const money = { orderId: ORDER, customerId: CUSTOMER, total: 200, currency: 'EUR' };
    expect(given(stream(['2026-11-28T10:00:00.000Z', created]))).toMatchObject({ lines_changed_at: null });
    expect(
      given(
        stream(
          ['2026-11-28T10:00:00.000Z', created],
          ['2026-11-28T10:00:01.000Z', line('A', 2, 100)],
          ['2026-11-28T10:00:02.000Z', line('B', 1, 100)],
          ['2026-11-28T10:00:03.5+01:00', { type: 'OrderLineRemoved', data: { orderId: ORDER, sku: 'B' } }],
          ['2026-11-28T10:00:04.000Z', { type: 'OrderPlaced', data: money }],
        ),
      ),
    ).toMatchObject({
      lines_changed_at: '2026-11-28T10:00:03.5+01:00',
      placed_at: '2026-11-28T10:00:04.000Z',
    });
  });

  it('is created by OrderCreated only, and reads every order event', () => {
    expect(orderSummaryModel.creates).toEqual(['OrderCreated']);
    expect([...orderSummaryModel.handles].sort()).toEqual([
      'OrderCancelled',
      'OrderCreated',
      'OrderLineAdded',
      'OrderLineRemoved',
      'OrderPlaced',
      'OrderShipped',
    ]);
  });
});
