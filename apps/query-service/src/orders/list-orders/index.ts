import { ListOrdersController } from './list-orders.controller';
import { ListOrdersHandler } from './list-orders.handler';

export const LIST_ORDERS = { controllers: [ListOrdersController], handlers: [ListOrdersHandler] };
