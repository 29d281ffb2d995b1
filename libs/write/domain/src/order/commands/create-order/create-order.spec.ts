import { deciderSpecification } from '../../../testing/decider-specification';
import { CUSTOMER_ID, ORDER_ID, OTHER_CUSTOMER_ID, orderCreated } from '../../../testing/fixtures';
import { evolveOrder } from '../../order.evolve';
import { initialOrderState } from '../../order.state';
import type { CreateOrder } from './create-order.command';
import { decideCreateOrder } from './create-order.decide';

const spec = deciderSpecification({
  decide: decideCreateOrder,
  evolve: evolveOrder,
  initialState: initialOrderState,
});

const createOrder = (customer: CreateOrder['customer']): CreateOrder => ({
  type: 'CreateOrder',
  orderId: ORDER_ID,
  customerId: CUSTOMER_ID,
  customer,
});

describe('CreateOrder', () => {
  it('opens a draft order for an existing customer', () => {
    spec
      .given([])
      .when(createOrder({ customerId: CUSTOMER_ID, currency: 'EUR' }))
      .then([
        { type: 'OrderCreated', data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, currency: 'EUR' } },
      ]);
  });

  it("takes the customer's currency", () => {
    spec
      .given([])
      .when(createOrder({ customerId: CUSTOMER_ID, currency: 'JPY' }))
      .then([
        { type: 'OrderCreated', data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, currency: 'JPY' } },
      ]);
  });

  it('refuses an unknown customer: customer.not-found', () => {
    spec.given([]).when(createOrder(null)).thenThrows('customer.not-found', { customerId: CUSTOMER_ID });
  });

  it('refuses an order id that is already taken: order.already-exists', () => {
    spec
      .given([orderCreated()])
      .when(createOrder({ customerId: CUSTOMER_ID, currency: 'EUR' }))
      .thenThrows('order.already-exists', { orderId: ORDER_ID });
  });

  it('treats a customer other than the one named as a bug, not a rule', () => {
    expect(() =>
      decideCreateOrder(createOrder({ customerId: OTHER_CUSTOMER_ID, currency: 'EUR' }), null),
    ).toThrow(/was given customer/);
  });
});
