import { deciderSpecification } from '../../../testing/decider-specification';
import { CUSTOMER_ID, ORDER_ID, STREAMS_BY_STATUS, lineAdded, orderCreated } from '../../../testing/fixtures';
import { evolveOrder } from '../../order.evolve';
import { initialOrderState } from '../../order.state';
import type { CancelOrder } from './cancel-order.command';
import { decideCancelOrder } from './cancel-order.decide';

const spec = deciderSpecification({
  decide: decideCancelOrder,
  evolve: evolveOrder,
  initialState: initialOrderState,
});

const cancelOrder = (reason: string): CancelOrder => ({ type: 'CancelOrder', orderId: ORDER_ID, reason });

describe('CancelOrder', () => {
  it('cancels a draft order, saying it was a draft', () => {
    spec
      .given([orderCreated(), lineAdded('A', 2, 300)])
      .when(cancelOrder('duplicate order'))
      .then([
        {
          type: 'OrderCancelled',
          data: {
            orderId: ORDER_ID,
            customerId: CUSTOMER_ID,
            reason: 'duplicate order',
            previousStatus: 'draft',
            total: 600,
            currency: 'EUR',
          },
        },
      ]);
  });

  it('cancels an empty draft order', () => {
    spec
      .given([orderCreated()])
      .when(cancelOrder('no longer needed'))
      .then([
        {
          type: 'OrderCancelled',
          data: {
            orderId: ORDER_ID,
            customerId: CUSTOMER_ID,
            reason: 'no longer needed',
            previousStatus: 'draft',
            total: 0,
            currency: 'EUR',
          },
        },
      ]);
  });

  it('cancels a placed order, saying it was placed', () => {
    spec
      .given(STREAMS_BY_STATUS.placed)
      .when(cancelOrder('out of stock'))
      .then([
        {
          type: 'OrderCancelled',
          data: {
            orderId: ORDER_ID,
            customerId: CUSTOMER_ID,
            reason: 'out of stock',
            previousStatus: 'placed',
            total: 100,
            currency: 'EUR',
          },
        },
      ]);
  });

  it('refuses a shipped order: order.already-shipped', () => {
    spec
      .given(STREAMS_BY_STATUS.shipped)
      .when(cancelOrder('too late'))
      .thenThrows('order.already-shipped', { orderId: ORDER_ID });
  });

  it('refuses an order already cancelled: order.already-cancelled', () => {
    spec
      .given(STREAMS_BY_STATUS.cancelled)
      .when(cancelOrder('again'))
      .thenThrows('order.already-cancelled', { orderId: ORDER_ID });
  });

  it('refuses an order that does not exist: order.not-found', () => {
    spec.given([]).when(cancelOrder('why not')).thenThrows('order.not-found', { orderId: ORDER_ID });
  });

  it.each(['', '   ', '\n\t'])('refuses a blank reason %p: order.cancel-reason-required', (reason) => {
    spec
      .given([orderCreated()])
      .when(cancelOrder(reason))
      .thenThrows('order.cancel-reason-required', { orderId: ORDER_ID });
  });

  it('refuses a reason over 500 characters: order.cancel-reason-too-long', () => {
    spec
      .given([orderCreated()])
      .when(cancelOrder('x'.repeat(501)))
      .thenThrows('order.cancel-reason-too-long', { orderId: ORDER_ID, maxLength: 500 });
  });

  it('keeps a reason of exactly 500 characters as given', () => {
    const reason = 'x'.repeat(500);
    spec
      .given([orderCreated()])
      .when(cancelOrder(reason))
      .then([
        {
          type: 'OrderCancelled',
          data: {
            orderId: ORDER_ID,
            customerId: CUSTOMER_ID,
            reason,
            previousStatus: 'draft',
            total: 0,
            currency: 'EUR',
          },
        },
      ]);
  });
});
