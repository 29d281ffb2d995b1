import { z } from 'zod';
import { CurrencyCode, MinorUnits, MinorUnitsSum } from '../money';

/**
 * What the read side answers, as one zod definition each: the query service's views are typed from these, the
 * gateway's OpenAPI document is generated from them, and the query service's tests check its real answers against
 * them key by key. Objects are open (`looseObject`): a field the read side adds is not a contract break, a field
 * it removes or retypes is.
 */
export const OrderStatus = z.enum(['draft', 'placed', 'shipped', 'cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;

const Timestamp = z.iso.datetime({ offset: true });

export const OrderLine = z.looseObject({
  sku: z.string(),
  quantity: z.number().int().min(1),
  unitPrice: MinorUnits.describe('Price of one unit, in minor units of the order currency'),
});

export const OrderSummary = z.looseObject({
  id: z.uuid(),
  customerId: z.uuid(),
  status: OrderStatus,
  currency: CurrencyCode,
  lines: z.array(OrderLine).describe('The lines in the order they were added'),
  lineCount: z.number().int().min(0),
  total: MinorUnits.describe('Sum of quantity × unitPrice over the lines, in minor units'),
  version: z.number().int().min(1).describe('Version of the order stream this summary reflects'),
  createdAt: Timestamp,
  updatedAt: Timestamp.describe('Time of the last event applied to this order'),
  placedAt: Timestamp.nullable(),
  shippedAt: Timestamp.nullable(),
  cancelledAt: Timestamp.nullable(),
  cancelReason: z.string().nullable(),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderPage = z.object({
  items: z.array(OrderSummary),
  nextCursor: z
    .string()
    .nullable()
    .describe('Opaque cursor of the next page; null on the last page. Pass it back unchanged as `cursor`.'),
});

export const Customer = z.looseObject({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  currency: CurrencyCode,
  creditLimit: MinorUnits,
  version: z.number().int().min(1).describe('Version of the customer stream this view reflects'),
  orderCounts: z
    .looseObject({
      draft: z.number().int().min(0),
      placed: z.number().int().min(0),
      shipped: z.number().int().min(0),
      cancelled: z.number().int().min(0),
    })
    .describe("Number of the customer's orders in each status"),
  lifetimeValue: MinorUnitsSum.describe(
    'Total of shipped orders, in minor units of the customer currency, as a decimal string: a sum over any number of ' +
      'orders can pass 2^53, beyond which a JSON number is not read exactly',
  ),
  registeredAt: Timestamp.nullable(),
  updatedAt: Timestamp,
  openOrders: z
    .looseObject({
      count: z.number().int().min(0).describe('Orders placed and not yet shipped or cancelled'),
      total: MinorUnitsSum.describe(
        'Their total, in minor units of the customer currency, as a decimal string (a sum over any number of orders)',
      ),
    })
    .nullable()
    .describe(
      "The customer's open-order exposure, kept inline with the commands (in their write transaction): current as of " +
        'the answer, with no consistency token (on a replica of the write DB, behind it by its replay lag). Zeros for ' +
        'a customer with none; null while the service cannot tell (the model is being filled, or its database does ' +
        'not answer).',
    ),
});
export type Customer = z.infer<typeof Customer>;

export const DailySalesRow = z.looseObject({
  day: z.iso.date(),
  currency: CurrencyCode,
  placedCount: z.number().int().min(0),
  placedTotal: MinorUnitsSum.describe(
    `Total of the orders placed that day, in minor units, as a decimal string`,
  ),
  shippedCount: z.number().int().min(0),
  shippedTotal: MinorUnitsSum.describe(
    `Total of the orders shipped that day, in minor units, as a decimal string`,
  ),
  cancelledCount: z.number().int().min(0),
  cancelledTotal: MinorUnitsSum.describe(
    `Total of the orders cancelled that day, in minor units, as a decimal string`,
  ),
});
export type DailySalesRow = z.infer<typeof DailySalesRow>;

export const DailySalesReport = z.object({ items: z.array(DailySalesRow) });

export const ProjectionStatus = z.looseObject({
  name: z.string(),
  state: z.enum(['running', 'rebuilding', 'stalled']),
  lag: z.array(
    z.looseObject({
      topic: z.string(),
      partition: z.number().int().min(0),
      messages: z
        .number()
        .int()
        .min(0)
        .describe("Log end offset minus the projection group's committed offset"),
      seconds: z.number().min(0).describe('How far the last applied event is behind now, when there is lag'),
    }),
  ),
  lastEventAt: Timestamp.nullable(),
  deadLetters: z.number().int().min(0).describe('Dead letters not yet replayed'),
  parkedEvents: z.number().int().min(0).describe('Events held back waiting for a missing earlier version'),
  oldestParkedAt: Timestamp.nullable(),
  eventsApplied: z.number().int().min(0),
  stalledBecause: z.string().optional().describe('Why the projection is stalled, when it is'),
  lastRebuild: z
    .looseObject({
      startedAt: Timestamp,
      finishedAt: Timestamp.nullable(),
      outcome: z.enum(['running', 'swapped', 'failed']),
      error: z.string().nullable().describe('Why the rebuild failed; the live tables were kept'),
    })
    .nullable()
    .describe('The last rebuild since the projection service started, null if none'),
});
export type ProjectionStatus = z.infer<typeof ProjectionStatus>;

export const ProjectionStatusList = z.object({ projections: z.array(ProjectionStatus) });
