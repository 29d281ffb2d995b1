import type { OrderEvent } from '@tandem/contracts';
import { OrderLineNotFound } from '../../../errors/order.errors';
import { assertDraft, assertOrderExists } from '../../order.rules';
import type { OrderState } from '../../order.state';
import type { RemoveOrderLine } from './remove-order-line.command';

export function decideRemoveOrderLine(command: RemoveOrderLine, state: OrderState | null): OrderEvent[] {
  const { orderId, sku } = command;
  assertOrderExists(state, orderId);
  assertDraft(state);
  if (!state.lines.some((line) => line.sku === sku)) throw new OrderLineNotFound(orderId, sku);
  return [{ type: 'OrderLineRemoved', data: { orderId, sku } }];
}
