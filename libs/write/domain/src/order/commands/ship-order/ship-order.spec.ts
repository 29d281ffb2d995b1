import { deciderSpecification } from '../../../testing/decider-specification';
import {
  CUSTOMER_ID,
  ORDER_ID,
  STREAMS_BY_STATUS,
  lineAdded,
  orderCreated,
  orderPlaced,
} from '../../../testing/fixtures';
import { evolveOrder } from '../../order.evolve';
import { initialOrderState } from '../../order.state';
import type { ShipOrder } from './ship-order.command';
import { decideShipOrder } from './ship-order.decide';

const spec = deciderSpecification({
  decide: decideShipOrder,
  evolve: evolveOrder,
  initialState: initialOrderState,
});

const shipOrder: ShipOrder = { type: 'ShipOrder', orderId: ORDER_ID };

describe('ShipOrder', () => {
  it('ships a placed order, carrying customer, total and currency', () => {
    spec
      .given([orderCreated('JPY'), lineAdded('A', 4, 250, 'JPY'), orderPlaced(1000, 'JPY')])
      .when(shipOrder)
      .then([
        {
          type: 'OrderShipped',
          data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, total: 1000, currency: 'JPY' },
        },
      ]);
  });

  it('refuses an order that does not exist: order.not-found', () => {
    spec.given([]).when(shipOrder).thenThrows('order.not-found', { orderId: ORDER_ID });
  });

  it.each(['draft', 'shipped', 'cancelled'] as const)('refuses a %s order: order.not-placed', (status) => {
    spec
      .given(STREAMS_BY_STATUS[status])
      .when(shipOrder)
      .thenThrows('order.not-placed', { orderId: ORDER_ID, orderStatus: status });
  });
});
