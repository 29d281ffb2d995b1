import type { z } from 'zod';
import type {
  AddOrderLineRequest,
  CancelOrderRequest,
  ChangeCreditLimitRequest,
  CommandAccepted,
  CommandStatus,
  CreateOrderRequest,
  Customer,
  DailySalesReport,
  OrderPage,
  OrderSummary,
  ProjectionStatusList,
  RegisterCustomerRequest,
} from '@tandem/contracts';

/**
 * One example per schema of the document (several for a command's status, one per stage), written as the
 * schema's own type so that the compiler checks their shape; `openapi.int-spec.ts` parses each with its zod schema
 * and the standard validator checks each against the document. The ids tie the examples together.
 */

export const EXAMPLE_IDS = {
  customer: '5d0e1c7a-8f2b-4c3d-a1e9-6b7f8c9d0e12',
  order: '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10',
  idempotencyKey: '6f1d0c3e-8a1b-4c9e-9f51-2b7d3e4a5c60',
  sku: 'BOOK-1',
};

const TOKEN =
  'eyJrIjoib3JkZXIiLCJzIjoiMGI3YzZmNGUtMmE0Zi00YjhlLTlkNjQtM2YxYzJhNWU3ZDEwIiwidiI6M30.c2lnbmF0dXJl';

const accepted = {
  id: EXAMPLE_IDS.order,
  version: 3,
  consistencyToken: TOKEN,
} satisfies z.input<typeof CommandAccepted>;

const order = {
  id: EXAMPLE_IDS.order,
  customerId: EXAMPLE_IDS.customer,
  status: 'placed',
  currency: 'EUR',
  lines: [{ sku: EXAMPLE_IDS.sku, quantity: 2, unitPrice: 1999 }],
  lineCount: 1,
  total: 3998,
  version: 3,
  createdAt: '2026-03-02T09:14:03.120Z',
  updatedAt: '2026-03-02T09:15:41.877Z',
  placedAt: '2026-03-02T09:15:41.877Z',
  shippedAt: null,
  cancelledAt: null,
  cancelReason: null,
} satisfies z.input<typeof OrderSummary>;

const event = (version: number, type: string, publishedAt: string | null) => ({
  eventId: '3f6c1c8e-0d7a-4e4b-9a57-1c2d3e4f5a60',
  type,
  streamId: EXAMPLE_IDS.order,
  version,
  recordedAt: '2026-03-02T09:15:41.877Z',
  publishedAt,
});

const committed = {
  idempotencyKey: EXAMPLE_IDS.idempotencyKey,
  status: 'committed',
  answer: accepted,
  committedAt: '2026-03-02T09:15:41.877Z',
  events: [event(3, 'OrderPlaced', null)],
  publishedAt: null,
} satisfies z.input<typeof CommandStatus>;

const published = {
  ...committed,
  status: 'published',
  events: [event(3, 'OrderPlaced', '2026-03-02T09:15:41.902Z')],
  publishedAt: '2026-03-02T09:15:41.902Z',
  projections: [
    { projection: 'order-summary', appliedVersion: 3, applied: true },
    { projection: 'customer-orders', appliedVersion: 2, applied: false },
    { projection: 'daily-sales', appliedVersion: 3, applied: true },
  ],
} satisfies z.input<typeof CommandStatus>;

/** Example bodies by component schema name: what the document shows beside each request and answer. */
export const SCHEMA_EXAMPLES = {
  RegisterCustomerRequest: {
    name: 'Customer One',
    email: 'customer1@example.com',
    currency: 'EUR',
    creditLimit: 100000,
  } satisfies z.input<typeof RegisterCustomerRequest>,
  ChangeCreditLimitRequest: { creditLimit: 250000 } satisfies z.input<typeof ChangeCreditLimitRequest>,
  CreateOrderRequest: { customerId: EXAMPLE_IDS.customer } satisfies z.input<typeof CreateOrderRequest>,
  AddOrderLineRequest: { sku: EXAMPLE_IDS.sku, quantity: 2, unitPrice: 1999 } satisfies z.input<
    typeof AddOrderLineRequest
  >,
  CancelOrderRequest: { reason: 'Ordered twice by mistake' } satisfies z.input<typeof CancelOrderRequest>,
  CommandAccepted: accepted,
  OrderSummary: order,
  OrderPage: {
    items: [order],
    nextCursor: 'eyJjIjoiMjAyNi0wMy0wMlQwOToxNDowMy4xMjBaIn0.c2lnbmF0dXJl',
  } satisfies z.input<typeof OrderPage>,
  Customer: {
    id: EXAMPLE_IDS.customer,
    name: 'Customer One',
    email: 'customer1@example.com',
    currency: 'EUR',
    creditLimit: 100000,
    version: 1,
    orderCounts: { draft: 1, placed: 1, shipped: 4, cancelled: 0 },
    lifetimeValue: '15992',
    registeredAt: '2026-03-01T17:02:11.004Z',
    updatedAt: '2026-03-02T09:15:41.877Z',
    openOrders: { count: 1, total: '3998' },
  } satisfies z.input<typeof Customer>,
  DailySalesReport: {
    items: [
      {
        day: '2026-03-02',
        currency: 'EUR',
        placedCount: 12,
        placedTotal: '81234',
        shippedCount: 9,
        shippedTotal: '60117',
        cancelledCount: 1,
        cancelledTotal: '1999',
      },
    ],
  } satisfies z.input<typeof DailySalesReport>,
  ProjectionStatusList: {
    projections: [
      {
        name: 'order-summary',
        state: 'running',
        lag: [{ topic: 'orders.order.v1', partition: 0, messages: 0, seconds: 0 }],
        lastEventAt: '2026-03-02T09:15:41.877Z',
        deadLetters: 0,
        parkedEvents: 0,
        oldestParkedAt: null,
        eventsApplied: 48211,
        lastRebuild: null,
      },
    ],
  } satisfies z.input<typeof ProjectionStatusList>,
} as const;

/** Several examples of one schema, by name: a command's status in each of its stages. */
export const SCHEMA_EXAMPLE_SETS: Record<string, Record<string, { summary: string; value: unknown }>> = {
  CommandStatus: {
    rejected: {
      summary: 'Refused by a rule: the problem it was answered with',
      value: {
        idempotencyKey: EXAMPLE_IDS.idempotencyKey,
        status: 'rejected',
        problem: {
          type: 'urn:tandem:problem:order.credit-limit-exceeded',
          title: 'Order credit limit exceeded',
          status: 409,
          detail: 'Order total 3998 exceeds the credit limit 1000',
          instance: `/api/orders/${EXAMPLE_IDS.order}/place`,
          code: 'order.credit-limit-exceeded',
          orderId: EXAMPLE_IDS.order,
          total: 3998,
          creditLimit: 1000,
        },
        rejectedAt: '2026-03-02T09:15:41.877Z',
        attempts: 1,
      } satisfies z.input<typeof CommandStatus>,
    },
    committed: { summary: 'In the write DB; its event not yet on Kafka', value: committed },
    published: { summary: 'On Kafka; one projection still behind', value: published },
    projected: {
      summary: 'Every projection that reads the event has applied it',
      value: {
        ...published,
        status: 'projected',
        projections: published.projections.map((p) => ({ ...p, appliedVersion: 3, applied: true })),
      } satisfies z.input<typeof CommandStatus>,
    },
  },
};

/** The probes' answers (their schemas are not components: the platform's health module declares none). */
export const HEALTH_EXAMPLES = {
  live: { status: 'ok' },
  ready: {
    status: 'ready',
    checks: [
      { name: 'command-service', status: 'up' },
      { name: 'query-service', status: 'up' },
      { name: 'projection-service', status: 'up' },
    ],
  },
  notReady: {
    status: 'not-ready',
    checks: [
      { name: 'command-service', status: 'up' },
      {
        name: 'query-service',
        status: 'down',
        error: 'query-service /health/live did not answer (ECONNREFUSED)',
      },
      { name: 'projection-service', status: 'up' },
    ],
  },
};
