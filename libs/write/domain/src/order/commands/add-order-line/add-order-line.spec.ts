import { deciderSpecification } from '../../../testing/decider-specification';
import {
  ORDER_ID,
  STREAMS_BY_STATUS,
  lineAdded,
  lineRemoved,
  manyLines,
  orderCreated,
} from '../../../testing/fixtures';
import { evolveOrder } from '../../order.evolve';
import { initialOrderState } from '../../order.state';
import type { AddOrderLine } from './add-order-line.command';
import { decideAddOrderLine } from './add-order-line.decide';

const spec = deciderSpecification({
  decide: decideAddOrderLine,
  evolve: evolveOrder,
  initialState: initialOrderState,
});

const addLine = (sku: string, quantity: number, unitPrice: number): AddOrderLine => ({
  type: 'AddOrderLine',
  orderId: ORDER_ID,
  sku,
  quantity,
  unitPrice,
});

const MAX = Number.MAX_SAFE_INTEGER;

describe('AddOrderLine', () => {
  it('adds a line to a draft order', () => {
    spec
      .given([orderCreated()])
      .when(addLine('BOOK-1', 2, 1250))
      .then([
        {
          type: 'OrderLineAdded',
          data: {
            orderId: ORDER_ID,
            sku: 'BOOK-1',
            quantity: 2,
            unitPrice: { amount: 1250, currency: 'EUR' },
          },
        },
      ]);
  });

  it('adds a line beside others with different SKUs', () => {
    spec
      .given([orderCreated(), lineAdded('A', 1, 100)])
      .when(addLine('B', 3, 50))
      .then([lineAdded('B', 3, 50)]);
  });

  it('accepts a free item (unit price 0)', () => {
    spec
      .given([orderCreated()])
      .when(addLine('GIFT', 1, 0))
      .then([lineAdded('GIFT', 1, 0)]);
  });

  it('refuses an order that does not exist: order.not-found', () => {
    spec
      .given([])
      .when(addLine('A', 1, 100))
      .thenThrows('order.not-found', { orderId: ORDER_ID });
  });

  it.each(['placed', 'shipped', 'cancelled'] as const)('refuses a %s order: order.not-draft', (status) => {
    spec
      .given(STREAMS_BY_STATUS[status])
      .when(addLine('B', 1, 100))
      .thenThrows('order.not-draft', { orderId: ORDER_ID, orderStatus: status });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX + 1])(
    'refuses quantity %p: order.invalid-quantity',
    (quantity) => {
      spec
        .given([orderCreated()])
        .when(addLine('A', quantity, 100))
        .thenThrows('order.invalid-quantity', { quantity });
    },
  );

  it.each([-1, 0.5, Number.NaN, MAX + 1])('refuses unit price %p: order.invalid-unit-price', (unitPrice) => {
    spec
      .given([orderCreated()])
      .when(addLine('A', 1, unitPrice))
      .thenThrows('order.invalid-unit-price', { unitPrice, max: 10 ** 15 });
  });

  it('refuses an empty or over-long SKU: order.invalid-sku', () => {
    spec
      .given([orderCreated()])
      .when(addLine('', 1, 100))
      .thenThrows('order.invalid-sku');
    spec
      .given([orderCreated()])
      .when(addLine('S'.repeat(65), 1, 100))
      .thenThrows('order.invalid-sku', { sku: 'S'.repeat(65), maxLength: 64 });
    spec
      .given([orderCreated()])
      .when(addLine('S'.repeat(64), 1, 100))
      .then([lineAdded('S'.repeat(64), 1, 100)]);
  });

  it('refuses a SKU already on the order: order.duplicate-sku', () => {
    spec
      .given([orderCreated(), lineAdded('A', 1, 100)])
      .when(addLine('A', 5, 100))
      .thenThrows('order.duplicate-sku', { orderId: ORDER_ID, sku: 'A' });
  });

  it('accepts a SKU again once its line was removed (how a line is changed)', () => {
    spec
      .given([orderCreated(), lineAdded('A', 1, 100), lineRemoved('A')])
      .when(addLine('A', 5, 90))
      .then([lineAdded('A', 5, 90)]);
  });

  it('accepts the 100th line', () => {
    spec
      .given([orderCreated(), ...manyLines(99)])
      .when(addLine('LAST', 1, 100))
      .then([lineAdded('LAST', 1, 100)]);
  });

  it('refuses a 101st line: order.too-many-lines', () => {
    spec
      .given([orderCreated(), ...manyLines(100)])
      .when(addLine('ONE-TOO-MANY', 1, 100))
      .thenThrows('order.too-many-lines', { orderId: ORDER_ID, maxLines: 100 });
  });

  it('counts lines, not events: a removed line frees its place', () => {
    spec
      .given([orderCreated(), ...manyLines(100), lineRemoved('SKU-7')])
      .when(addLine('REPLACEMENT', 1, 100))
      .then([lineAdded('REPLACEMENT', 1, 100)]);
  });

  it('accepts a JPY line of exactly the JPY maximum, 10^12 yen', () => {
    spec
      .given([orderCreated('JPY')])
      .when(addLine('A', 1, 10 ** 12))
      .then([lineAdded('A', 1, 10 ** 12, 'JPY')]);
  });

  it('refuses a JPY line above 10^12 yen, though each factor is allowed: order.amount-too-large', () => {
    spec
      .given([orderCreated('JPY')])
      .when(addLine('A', 2, 10 ** 12 / 2 + 1))
      .thenThrows('order.amount-too-large', {
        orderId: ORDER_ID,
        of: 'line',
        currency: 'JPY',
        max: 10 ** 12,
      });
  });

  it('accepts a KWD line of 10^15 fils, the largest bound of any currency', () => {
    spec
      .given([orderCreated('KWD')])
      .when(addLine('A', 1000, 10 ** 12))
      .then([lineAdded('A', 1000, 10 ** 12, 'KWD')]);
  });

  it.each([10 ** 15 + 1, MAX])(
    'refuses unit price %p, above what any currency allows, before looking the order up: order.invalid-unit-price',
    (unitPrice) => {
      spec
        .given([])
        .when(addLine('A', 1, unitPrice))
        .thenThrows('order.invalid-unit-price', { unitPrice, max: 10 ** 15 });
    },
  );

  it('refuses a line that would take the order total past the maximum: order.total-too-large', () => {
    spec
      .given([orderCreated('JPY'), lineAdded('A', 1, 10 ** 12 - 10, 'JPY')])
      .when(addLine('B', 1, 11))
      .thenThrows('order.total-too-large', {
        orderId: ORDER_ID,
        total: 10 ** 12 + 1,
        currency: 'JPY',
        max: 10 ** 12,
      });
  });

  it('accepts an order total of exactly the maximum', () => {
    spec
      .given([orderCreated('JPY'), lineAdded('A', 1, 10 ** 12 - 10, 'JPY')])
      .when(addLine('B', 1, 10))
      .then([lineAdded('B', 1, 10, 'JPY')]);
  });
});
