import type { OrderEvent } from '@tandem/contracts';
import { CreditLimitExceeded, OrderHasNoLines } from '../../../errors/order.errors';
import { assertDraft, assertOrderExists } from '../../order.rules';
import type { OrderState } from '../../order.state';
import type { PlaceOrder } from './place-order.command';

export function decidePlaceOrder(command: PlaceOrder, state: OrderState | null): OrderEvent[] {
  const { orderId, customerCreditLimit } = command;
  assertOrderExists(state, orderId);
  assertDraft(state);
  if (state.lines.length === 0) throw new OrderHasNoLines(orderId);
  // The limit bounds each order on its own, as the domain table states; it is not an exposure across open orders.
  if (state.total > customerCreditLimit) {
    throw new CreditLimitExceeded(orderId, state.total, customerCreditLimit);
  }
  const { customerId, total, currency } = state;
  return [{ type: 'OrderPlaced', data: { orderId, customerId, total, currency } }];
}
