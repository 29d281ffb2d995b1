import { Sku } from '@tandem/contracts';
import { InvalidSku, OrderNotDraft, OrderNotFound } from '../errors/order.errors';
import type { OrderState } from './order.state';

// Rules shared by several order commands. Each throws the error named after it.

export function assertOrderExists(state: OrderState | null, orderId: string): asserts state is OrderState {
  if (state === null) throw new OrderNotFound(orderId);
}

export function assertDraft(order: OrderState): void {
  if (order.status !== 'draft') throw new OrderNotDraft(order.orderId, order.status);
}

/** The SKU bounds are the event contract's: an event the domain emits must pass its schema in the outbox relay. */
export const MAX_SKU_LENGTH = 64;

export function assertValidSku(sku: string): void {
  if (!Sku.safeParse(sku).success) throw new InvalidSku(sku, MAX_SKU_LENGTH);
}
