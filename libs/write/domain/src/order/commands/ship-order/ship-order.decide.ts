import type { OrderEvent } from '@tandem/contracts';
import { OrderNotPlaced } from '../../../errors/order.errors';
import { assertOrderExists } from '../../order.rules';
import type { OrderState } from '../../order.state';
import type { ShipOrder } from './ship-order.command';

export function decideShipOrder(command: ShipOrder, state: OrderState | null): OrderEvent[] {
  const { orderId } = command;
  assertOrderExists(state, orderId);
  // Shipping twice is refused too: a retried request is absorbed by its command id before it reaches the domain.
  if (state.status !== 'placed') throw new OrderNotPlaced(orderId, state.status);
  const { customerId, total, currency } = state;
  return [{ type: 'OrderShipped', data: { orderId, customerId, total, currency } }];
}
