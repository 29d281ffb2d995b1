import { deciderSpecification } from '../../../testing/decider-specification';
import { ORDER_ID, STREAMS_BY_STATUS, lineAdded, lineRemoved, orderCreated } from '../../../testing/fixtures';
import { evolveOrder } from '../../order.evolve';
import { initialOrderState } from '../../order.state';
import type { RemoveOrderLine } from './remove-order-line.command';
import { decideRemoveOrderLine } from './remove-order-line.decide';

const spec = deciderSpecification({
  decide: decideRemoveOrderLine,
  evolve: evolveOrder,
  initialState: initialOrderState,
});

const removeLine = (sku: string): RemoveOrderLine => ({ type: 'RemoveOrderLine', orderId: ORDER_ID, sku });

describe('RemoveOrderLine', () => {
  it('removes a line of a draft order', () => {
    spec
      .given([orderCreated(), lineAdded('A', 1, 100), lineAdded('B', 2, 50)])
      .when(removeLine('A'))
      .then([{ type: 'OrderLineRemoved', data: { orderId: ORDER_ID, sku: 'A' } }]);
  });

  it('refuses an order that does not exist: order.not-found', () => {
    spec.given([]).when(removeLine('A')).thenThrows('order.not-found', { orderId: ORDER_ID });
  });

  it.each(['placed', 'shipped', 'cancelled'] as const)('refuses a %s order: order.not-draft', (status) => {
    spec
      .given(STREAMS_BY_STATUS[status])
      .when(removeLine('A'))
      .thenThrows('order.not-draft', { orderId: ORDER_ID, orderStatus: status });
  });

  it('refuses a SKU that is not on the order: order.line-not-found', () => {
    spec
      .given([orderCreated(), lineAdded('A', 1, 100)])
      .when(removeLine('B'))
      .thenThrows('order.line-not-found', { orderId: ORDER_ID, sku: 'B' });
  });

  it('refuses a line that was already removed: order.line-not-found', () => {
    spec
      .given([orderCreated(), lineAdded('A', 1, 100), lineRemoved('A')])
      .when(removeLine('A'))
      .thenThrows('order.line-not-found', { orderId: ORDER_ID, sku: 'A' });
  });

  it('matches SKUs exactly (case matters)', () => {
    spec
      .given([orderCreated(), lineAdded('abc', 1, 100)])
      .when(removeLine('ABC'))
      .thenThrows('order.line-not-found');
  });
});
