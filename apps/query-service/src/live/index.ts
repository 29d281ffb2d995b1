import { WatchOrderController } from './watch-order.controller';
import { WatchOrdersController } from './watch-orders.controller';

// Before the order reads: `GET /api/orders/live` must not be taken for `GET /api/orders/{id}`.
export const LIVE_ORDERS = { controllers: [WatchOrdersController, WatchOrderController], handlers: [] };
