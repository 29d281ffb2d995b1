import type { OrderEvent } from '@tandem/contracts';
import {
  CUSTOMER_ID,
  ORDER_ID,
  lineAdded,
  lineRemoved,
  orderCancelled,
  orderCreated,
  orderPlaced,
  orderShipped,
} from '../testing/fixtures';
import { evolveOrder } from './order.evolve';
import { initialOrderState, type OrderState } from './order.state';

const replay = (events: OrderEvent[]): OrderState | null => events.reduce(evolveOrder, initialOrderState);

describe('evolveOrder', () => {
  it('starts from no order at all', () => {
    expect(initialOrderState).toBeNull();
  });

  it('creates an empty draft at version 1 in the given currency', () => {
    expect(replay([orderCreated('CHF')])).toStrictEqual({
      orderId: ORDER_ID,
      customerId: CUSTOMER_ID,
      status: 'draft',
      currency: 'CHF',
      lines: [],
      total: 0,
      version: 1,
    });
  });

  it('keeps lines in the order they were added and sums quantity × unit price', () => {
    const state = replay([
      orderCreated(),
      lineAdded('A', 2, 1250),
      lineAdded('B', 1, 99),
      lineAdded('C', 3, 0),
    ]);
    expect(state?.lines).toStrictEqual([
      { sku: 'A', quantity: 2, unitPrice: 1250 },
      { sku: 'B', quantity: 1, unitPrice: 99 },
      { sku: 'C', quantity: 3, unitPrice: 0 },
    ]);
    expect(state?.total).toBe(2599);
    expect(state?.version).toBe(4);
  });

  it('recomputes the total when a line is removed and keeps the others in order', () => {
    const state = replay([
      orderCreated(),
      lineAdded('A', 2, 1250),
      lineAdded('B', 1, 99),
      lineAdded('C', 1, 1),
      lineRemoved('B'),
    ]);
    expect(state?.lines.map((line) => line.sku)).toStrictEqual(['A', 'C']);
    expect(state?.total).toBe(2501);
    expect(state?.version).toBe(5);
  });

  it('moves through placed and shipped, one version per event, keeping lines and total', () => {
    const placed = replay([orderCreated(), lineAdded('A', 1, 100), orderPlaced(100)]);
    expect(placed).toMatchObject({ status: 'placed', total: 100, version: 3 });
    const shipped = replay([orderCreated(), lineAdded('A', 1, 100), orderPlaced(100), orderShipped(100)]);
    expect(shipped).toMatchObject({ status: 'shipped', total: 100, version: 4, lines: placed?.lines });
  });

  it('marks a cancelled order cancelled', () => {
    expect(replay([orderCreated(), lineAdded('A', 1, 100), orderCancelled('draft', 100)])).toMatchObject({
      status: 'cancelled',
      total: 100,
      version: 3,
    });
  });

  it('counts every event in the version, so it is the stream version to append after', () => {
    const events = [
      orderCreated(),
      lineAdded('A', 1, 1),
      lineRemoved('A'),
      lineAdded('A', 1, 1),
      orderPlaced(1),
    ];
    expect(replay(events)?.version).toBe(events.length);
  });

  it('never changes the state it is given', () => {
    const before = replay([orderCreated(), lineAdded('A', 1, 100)]);
    const snapshot = structuredClone(before);
    evolveOrder(before, lineAdded('B', 1, 100));
    evolveOrder(before, lineRemoved('A'));
    expect(before).toStrictEqual(snapshot);
  });

  it('rejects a stream that does not start with OrderCreated as corrupt', () => {
    expect(() => replay([lineAdded('A', 1, 100)])).toThrow(/does not start with OrderCreated/);
  });

  it('rejects a line priced in another currency than its order as corrupt', () => {
    expect(() => replay([orderCreated('EUR'), lineAdded('A', 1, 100, 'CHF')])).toThrow(
      /its price is in CHF, the order in EUR/,
    );
  });

  it('rejects a second OrderCreated as corrupt', () => {
    expect(() => replay([orderCreated(), orderCreated()])).toThrow(/already exists/);
  });
});
