import type { OrderEvent } from '@tandem/contracts';
import { decideAddOrderLine } from './commands/add-order-line/add-order-line.decide';
import { decideCancelOrder } from './commands/cancel-order/cancel-order.decide';
import { decideCreateOrder } from './commands/create-order/create-order.decide';
import { decidePlaceOrder } from './commands/place-order/place-order.decide';
import { decideRemoveOrderLine } from './commands/remove-order-line/remove-order-line.decide';
import { decideShipOrder } from './commands/ship-order/ship-order.decide';
import type { OrderCommand } from './order.command';
import type { OrderState } from './order.state';

/**
 * One entry point over every order command, so that a handler retrying after a version conflict can re-decide
 * the same command on the reloaded state. Returns the events to append, or throws a DomainError.
 */
export function decideOrder(command: OrderCommand, state: OrderState | null): OrderEvent[] {
  switch (command.type) {
    case 'CreateOrder':
      return decideCreateOrder(command, state);
    case 'AddOrderLine':
      return decideAddOrderLine(command, state);
    case 'RemoveOrderLine':
      return decideRemoveOrderLine(command, state);
    case 'PlaceOrder':
      return decidePlaceOrder(command, state);
    case 'ShipOrder':
      return decideShipOrder(command, state);
    case 'CancelOrder':
      return decideCancelOrder(command, state);
  }
}
