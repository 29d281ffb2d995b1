import type { AddOrderLine } from './commands/add-order-line/add-order-line.command';
import type { CancelOrder } from './commands/cancel-order/cancel-order.command';
import type { CreateOrder } from './commands/create-order/create-order.command';
import type { PlaceOrder } from './commands/place-order/place-order.command';
import type { RemoveOrderLine } from './commands/remove-order-line/remove-order-line.command';
import type { ShipOrder } from './commands/ship-order/ship-order.command';

export type OrderCommand =
  CreateOrder | AddOrderLine | RemoveOrderLine | PlaceOrder | ShipOrder | CancelOrder;
