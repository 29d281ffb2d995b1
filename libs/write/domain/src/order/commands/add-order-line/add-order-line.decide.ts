import { MAX_AMOUNT, maxAmount, type OrderEvent } from '@tandem/contracts';
import {
  AmountTooLarge,
  DuplicateSku,
  InvalidQuantity,
  InvalidUnitPrice,
  OrderTotalTooLarge,
  TooManyOrderLines,
} from '../../../errors/order.errors';
import { assertDraft, assertOrderExists, assertValidSku } from '../../order.rules';
import { MAX_ORDER_LINES, type OrderState } from '../../order.state';
import type { AddOrderLine } from './add-order-line.command';

export function decideAddOrderLine(command: AddOrderLine, state: OrderState | null): OrderEvent[] {
  const { orderId, sku, quantity, unitPrice } = command;
  // Checks on the command alone come first, as the API answers bad input (400) before looking anything up.
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new InvalidQuantity(quantity);
  if (!Number.isSafeInteger(unitPrice) || unitPrice < 0 || unitPrice > MAX_AMOUNT) {
    throw new InvalidUnitPrice(unitPrice, MAX_AMOUNT);
  }
  assertValidSku(sku);

  assertOrderExists(state, orderId);
  assertDraft(state);
  // One line per SKU keeps RemoveOrderLine(sku) unambiguous; a client changes a line by removing and re-adding it.
  if (state.lines.some((line) => line.sku === sku)) throw new DuplicateSku(orderId, sku);
  if (state.lines.length >= MAX_ORDER_LINES) throw new TooManyOrderLines(orderId, MAX_ORDER_LINES);
  // No amount of one order may pass its currency's maximum, so every amount an order carries is exact everywhere
  // (a JSON number, a bigint). A product or sum past 2^53 is inexact, but still compares as above the maximum.
  const max = maxAmount(state.currency);
  const lineTotal = quantity * unitPrice;
  if (lineTotal > max) throw new AmountTooLarge(orderId, state.currency, max);
  if (state.total + lineTotal > max) {
    throw new OrderTotalTooLarge(orderId, state.total + lineTotal, state.currency, max);
  }

  // The line's price carries the order's currency (OrderLineAdded.v2), as every amount on the contract does.
  return [
    {
      type: 'OrderLineAdded',
      data: { orderId, sku, quantity, unitPrice: { amount: unitPrice, currency: state.currency } },
    },
  ];
}
