/**
 * The public routes that show a read model, and where the query service answers them. The feature map lists them
 * under every command whose events reach that model; `feature-map.spec.ts` fails if a GET route of the gateway is
 * missing here or a folder named here is gone.
 */
export interface ReadRoute {
  operationId: string;
  route: string;
  /** The read models (projection or inline model names) whose rows the answer shows. */
  models: readonly string[];
  /** The query service's folder for it (controller, query, handler). */
  handler: string;
}

export const READ_ROUTES: readonly ReadRoute[] = [
  {
    operationId: 'getOrder',
    route: 'GET /api/orders/{id}',
    models: ['order-summary'],
    handler: 'apps/query-service/src/orders/get-order/',
  },
  {
    operationId: 'listOrders',
    route: 'GET /api/orders',
    models: ['order-summary'],
    handler: 'apps/query-service/src/orders/list-orders/',
  },
  {
    operationId: 'watchOrder',
    route: 'GET /api/orders/{id}/live',
    models: ['order-summary'],
    handler: 'apps/query-service/src/live/',
  },
  {
    operationId: 'watchOrders',
    route: 'GET /api/orders/live',
    models: ['order-summary'],
    handler: 'apps/query-service/src/live/',
  },
  {
    operationId: 'getCustomer',
    route: 'GET /api/customers/{id}',
    models: ['customer-orders', 'customer-exposure'],
    handler: 'apps/query-service/src/customers/get-customer/',
  },
  {
    operationId: 'getDailySales',
    route: 'GET /api/reports/daily-sales',
    models: ['daily-sales'],
    handler: 'apps/query-service/src/reports/get-daily-sales/',
  },
];
