import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { CurrencyCode, MinorUnits } from '../money';
import { ORDER_TOPIC } from '../topics';

export const OrderCancelledV1 = defineEvent({
  name: 'OrderCancelled',
  version: 1,
  topic: ORDER_TOPIC,
  description:
    'A draft or placed order was cancelled. previousStatus tells which; total and currency are the order at cancellation.',
  schema: z
    .object({
      orderId: z.uuid(),
      customerId: z.uuid(),
      reason: z.string().min(1).max(500),
      previousStatus: z.enum(['draft', 'placed']),
      total: MinorUnits,
      currency: CurrencyCode,
    })
    .strict(),
});
export type OrderCancelled = z.infer<typeof OrderCancelledV1.schema>;
