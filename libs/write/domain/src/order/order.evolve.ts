import type { OrderEvent } from '@tandem/contracts';
import type { OrderLine, OrderState } from './order.state';

/**
 * Applies one recorded event. Events are facts, so no business rule is re-checked here (a rule may have changed
 * since the event was written); only an impossible stream shape, which means a bug or corrupted storage, throws.
 */
export function evolveOrder(state: OrderState | null, event: OrderEvent): OrderState {
  if (event.type === 'OrderCreated') {
    if (state !== null) throw corruptStream(event.type, `order ${state.orderId} already exists`);
    const { orderId, customerId, currency } = event.data;
    return { orderId, customerId, currency, status: 'draft', lines: [], total: 0, version: 1 };
  }
  if (state === null) throw corruptStream(event.type, 'the stream does not start with OrderCreated');

  switch (event.type) {
    case 'OrderLineAdded': {
      const { sku, quantity, unitPrice } = event.data;
      if (unitPrice.currency !== state.currency) {
        throw corruptStream(
          event.type,
          `its price is in ${unitPrice.currency}, the order in ${state.currency}`,
        );
      }
      return withLines(state, [...state.lines, { sku, quantity, unitPrice: unitPrice.amount }]);
    }
    case 'OrderLineRemoved':
      return withLines(
        state,
        state.lines.filter((line) => line.sku !== event.data.sku),
      );
    case 'OrderPlaced':
      return { ...state, status: 'placed', version: state.version + 1 };
    case 'OrderShipped':
      return { ...state, status: 'shipped', version: state.version + 1 };
    case 'OrderCancelled':
      return { ...state, status: 'cancelled', version: state.version + 1 };
  }
}

function withLines(state: OrderState, lines: readonly OrderLine[]): OrderState {
  // Recomputed rather than adjusted by the delta, so the total can never drift from the lines it sums.
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return { ...state, lines, total, version: state.version + 1 };
}

function corruptStream(eventType: string, why: string): Error {
  return new Error(`Cannot apply ${eventType}: ${why}. The order stream is corrupt.`);
}
