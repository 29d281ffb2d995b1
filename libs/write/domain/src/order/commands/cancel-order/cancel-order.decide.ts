import type { OrderEvent } from '@tandem/contracts';
import {
  CancelReasonRequired,
  CancelReasonTooLong,
  OrderAlreadyCancelled,
  OrderAlreadyShipped,
} from '../../../errors/order.errors';
import { assertOrderExists } from '../../order.rules';
import type { OrderState } from '../../order.state';
import type { CancelOrder } from './cancel-order.command';

/** The OrderCancelled contract's bound on `reason`. */
export const MAX_CANCEL_REASON_LENGTH = 500;

export function decideCancelOrder(command: CancelOrder, state: OrderState | null): OrderEvent[] {
  const { orderId, reason } = command;
  // The reason is kept as given (the gateway trims it); a blank one says nothing, so it counts as missing.
  if (reason.trim().length === 0) throw new CancelReasonRequired(orderId);
  if (reason.length > MAX_CANCEL_REASON_LENGTH)
    throw new CancelReasonTooLong(orderId, MAX_CANCEL_REASON_LENGTH);

  assertOrderExists(state, orderId);
  switch (state.status) {
    case 'shipped':
      throw new OrderAlreadyShipped(orderId);
    case 'cancelled':
      throw new OrderAlreadyCancelled(orderId);
    case 'draft':
    case 'placed': {
      const { customerId, total, currency, status: previousStatus } = state;
      return [
        { type: 'OrderCancelled', data: { orderId, customerId, reason, previousStatus, total, currency } },
      ];
    }
  }
}
