import { GetOrderController } from './get-order.controller';
import { GetOrderHandler } from './get-order.handler';

export const GET_ORDER = { controllers: [GetOrderController], handlers: [GetOrderHandler] };
