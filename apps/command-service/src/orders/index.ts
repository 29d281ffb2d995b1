import { AddOrderLineController } from './add-order-line/add-order-line.controller';
import { AddOrderLineHandler } from './add-order-line/add-order-line.handler';
import { CancelOrderController } from './cancel-order/cancel-order.controller';
import { CancelOrderHandler } from './cancel-order/cancel-order.handler';
import { CreateOrderController } from './create-order/create-order.controller';
import { CreateOrderHandler } from './create-order/create-order.handler';
import { PlaceOrderController } from './place-order/place-order.controller';
import { PlaceOrderHandler } from './place-order/place-order.handler';
import { RemoveOrderLineController } from './remove-order-line/remove-order-line.controller';
import { RemoveOrderLineHandler } from './remove-order-line/remove-order-line.handler';
import { ShipOrderController } from './ship-order/ship-order.controller';
import { ShipOrderHandler } from './ship-order/ship-order.handler';

export const ORDER_COMMAND_HANDLERS = [
  CreateOrderHandler,
  AddOrderLineHandler,
  RemoveOrderLineHandler,
  PlaceOrderHandler,
  ShipOrderHandler,
  CancelOrderHandler,
];
export const ORDER_CONTROLLERS = [
  CreateOrderController,
  AddOrderLineController,
  RemoveOrderLineController,
  PlaceOrderController,
  ShipOrderController,
  CancelOrderController,
];
