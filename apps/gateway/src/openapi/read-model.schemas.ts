import { z } from 'zod';
import { CurrencyCode, MinorUnits } from '@tandem/contracts';

/**
 * The read side's answers, as the gateway documents them. The query and projection services own these shapes;
 * they are written down here from the read-side issue until the read side publishes its own schemas in
 * `libs/contracts`, at which point these should be replaced by imports. Objects are open (`looseObject`) so
 * that a field the read side adds is not a contract break. See docs/api.md: these shapes may still move.
 */
export const OrderStatus = z.enum(['draft', 'placed', 'shipped', 'cancelled']);

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
  lines: z.array(OrderLine),
  total: MinorUnits.describe('Sum of quantity × unitPrice over the lines, in minor units'),
  version: z.number().int().min(1).describe('Version of the order stream this summary reflects'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

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
  version: z.number().int().min(1),
  orderCounts: z
    .looseObject({
      draft: z.number().int().min(0),
      placed: z.number().int().min(0),
      shipped: z.number().int().min(0),
      cancelled: z.number().int().min(0),
    })
    .describe("Number of the customer's orders in each status"),
  lifetimeValue: MinorUnits.describe('Total of shipped orders, in minor units of the customer currency'),
});

export const DailySalesRow = z.looseObject({
  day: z.iso.date(),
  currency: CurrencyCode,
  placedCount: z.number().int().min(0),
  placedTotal: MinorUnits,
  shippedCount: z.number().int().min(0),
  shippedTotal: MinorUnits,
  cancelledCount: z.number().int().min(0),
  cancelledTotal: MinorUnits,
});

export const DailySalesReport = z.object({ items: z.array(DailySalesRow) });

export const ProjectionStatus = z.looseObject({
  name: z.string(),
  state: z.enum(['running', 'rebuilding', 'stalled']),
  lag: z.array(
    z.looseObject({
      partition: z.number().int().min(0),
      messages: z.number().int().min(0),
      seconds: z.number().min(0),
    }),
  ),
  lastEventAt: Timestamp.nullable(),
  deadLetters: z.number().int().min(0),
});

export const ProjectionStatusList = z.object({ projections: z.array(ProjectionStatus) });
