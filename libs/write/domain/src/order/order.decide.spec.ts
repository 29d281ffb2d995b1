import { deciderSpecification } from '../testing/decider-specification';
import { CUSTOMER_ID, ORDER_ID, STREAMS_BY_STATUS, lineAdded, orderCreated } from '../testing/fixtures';
import { decideOrder } from './order.decide';
import { evolveOrder } from './order.evolve';
import { initialOrderState } from './order.state';

// The per-command specs prove the rules; this proves that each command type reaches its own decide function.
const spec = deciderSpecification({
  decide: decideOrder,
  evolve: evolveOrder,
  initialState: initialOrderState,
});

describe('decideOrder', () => {
  it('routes CreateOrder', () => {
    spec
      .given([])
      .when({
        type: 'CreateOrder',
        orderId: ORDER_ID,
        customerId: CUSTOMER_ID,
        customer: { customerId: CUSTOMER_ID, currency: 'EUR' },
      })
      .then([orderCreated()]);
  });

  it('routes AddOrderLine', () => {
    spec
      .given([orderCreated()])
      .when({ type: 'AddOrderLine', orderId: ORDER_ID, sku: 'A', quantity: 1, unitPrice: 100 })
      .then([lineAdded('A', 1, 100)]);
  });

  it('routes RemoveOrderLine', () => {
    spec
      .given(STREAMS_BY_STATUS.draft)
      .when({ type: 'RemoveOrderLine', orderId: ORDER_ID, sku: 'A' })
      .then([{ type: 'OrderLineRemoved', data: { orderId: ORDER_ID, sku: 'A' } }]);
  });

  it('routes PlaceOrder', () => {
    spec
      .given(STREAMS_BY_STATUS.draft)
      .when({ type: 'PlaceOrder', orderId: ORDER_ID, customerCreditLimit: 99 })
      .thenThrows('order.credit-limit-exceeded');
  });

  it('routes ShipOrder', () => {
    spec
      .given(STREAMS_BY_STATUS.draft)
      .when({ type: 'ShipOrder', orderId: ORDER_ID })
      .thenThrows('order.not-placed');
  });

  it('routes CancelOrder', () => {
    spec
      .given(STREAMS_BY_STATUS.shipped)
      .when({ type: 'CancelOrder', orderId: ORDER_ID, reason: 'late' })
      .thenThrows('order.already-shipped');
  });
});
