import { deciderSpecification } from '../../../testing/decider-specification';
import {
  CUSTOMER_ID,
  ORDER_ID,
  STREAMS_BY_STATUS,
  lineAdded,
  lineRemoved,
  orderCreated,
} from '../../../testing/fixtures';
import { evolveOrder } from '../../order.evolve';
import { initialOrderState } from '../../order.state';
import type { PlaceOrder } from './place-order.command';
import { decidePlaceOrder } from './place-order.decide';

const spec = deciderSpecification({
  decide: decidePlaceOrder,
  evolve: evolveOrder,
  initialState: initialOrderState,
});

const placeOrder = (customerCreditLimit: number): PlaceOrder => ({
  type: 'PlaceOrder',
  orderId: ORDER_ID,
  customerCreditLimit,
});

describe('PlaceOrder', () => {
  it('places a draft order within the credit limit, carrying customer, total and currency', () => {
    spec
      .given([orderCreated('GBP'), lineAdded('A', 2, 1000, 'GBP'), lineAdded('B', 1, 500, 'GBP')])
      .when(placeOrder(10_000))
      .then([
        {
          type: 'OrderPlaced',
          data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, total: 2500, currency: 'GBP' },
        },
      ]);
  });

  it('places an order whose total equals the credit limit', () => {
    spec
      .given([orderCreated(), lineAdded('A', 3, 1000)])
      .when(placeOrder(3000))
      .then([
        {
          type: 'OrderPlaced',
          data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, total: 3000, currency: 'EUR' },
        },
      ]);
  });

  it('places an order of free items with a zero credit limit', () => {
    spec
      .given([orderCreated(), lineAdded('GIFT', 1, 0)])
      .when(placeOrder(0))
      .then([
        {
          type: 'OrderPlaced',
          data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, total: 0, currency: 'EUR' },
        },
      ]);
  });

  it('refuses an order above the credit limit: order.credit-limit-exceeded', () => {
    spec
      .given([orderCreated(), lineAdded('A', 3, 1000)])
      .when(placeOrder(2999))
      .thenThrows('order.credit-limit-exceeded', { orderId: ORDER_ID, total: 3000, creditLimit: 2999 });
  });

  it('uses the total after removals', () => {
    spec
      .given([orderCreated(), lineAdded('A', 3, 1000), lineAdded('B', 1, 50), lineRemoved('A')])
      .when(placeOrder(50))
      .then([
        {
          type: 'OrderPlaced',
          data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, total: 50, currency: 'EUR' },
        },
      ]);
  });

  it('refuses an order without lines: order.no-lines', () => {
    spec.given([orderCreated()]).when(placeOrder(10_000)).thenThrows('order.no-lines', { orderId: ORDER_ID });
  });

  it('refuses an order whose lines were all removed: order.no-lines', () => {
    spec
      .given([orderCreated(), lineAdded('A', 1, 100), lineRemoved('A')])
      .when(placeOrder(10_000))
      .thenThrows('order.no-lines');
  });

  it('refuses an order that does not exist: order.not-found', () => {
    spec.given([]).when(placeOrder(10_000)).thenThrows('order.not-found', { orderId: ORDER_ID });
  });

  it.each(['placed', 'shipped', 'cancelled'] as const)('refuses a %s order: order.not-draft', (status) => {
    spec
      .given(STREAMS_BY_STATUS[status])
      .when(placeOrder(10_000))
      .thenThrows('order.not-draft', { orderId: ORDER_ID, orderStatus: status });
  });
});
