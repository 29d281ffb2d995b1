import type { OrderEvent } from '@tandem/contracts';
import {
  AmountTooLarge,
  DuplicateSku,
  InvalidQuantity,
  InvalidUnitPrice,
  TooManyOrderLines,
} from '../../../errors/order.errors';
import { assertDraft, assertOrderExists, assertValidSku } from '../../order.rules';
import { MAX_ORDER_LINES, type OrderState } from '../../order.state';
import type { AddOrderLine } from './add-order-line.command';

export function decideAddOrderLine(command: AddOrderLine, state: OrderState | null): OrderEvent[] {
  const { orderId, sku, quantity, unitPrice } = command;
  // Checks on the command alone come first, as the API answers bad input (400) before looking anything up.
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new InvalidQuantity(quantity);
  if (!Number.isSafeInteger(unitPrice) || unitPrice < 0) throw new InvalidUnitPrice(unitPrice);
  assertValidSku(sku);
  // Above 2^53 a float sum silently rounds: money must stay exact, so such amounts are refused, not stored.
  if (!Number.isSafeInteger(quantity * unitPrice)) throw new AmountTooLarge(orderId, 'line');

  assertOrderExists(state, orderId);
  assertDraft(state);
  // One line per SKU keeps RemoveOrderLine(sku) unambiguous; a client changes a line by removing and re-adding it.
  if (state.lines.some((line) => line.sku === sku)) throw new DuplicateSku(orderId, sku);
  if (state.lines.length >= MAX_ORDER_LINES) throw new TooManyOrderLines(orderId, MAX_ORDER_LINES);
  if (!Number.isSafeInteger(state.total + quantity * unitPrice)) throw new AmountTooLarge(orderId, 'order');

  return [{ type: 'OrderLineAdded', data: { orderId, sku, quantity, unitPrice } }];
}
