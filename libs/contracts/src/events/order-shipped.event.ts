import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { CurrencyCode, MinorUnits } from '../money';
import { ORDER_TOPIC } from '../topics';

export const OrderShippedV1 = defineEvent({
  name: 'OrderShipped',
  version: 1,
  topic: ORDER_TOPIC,
  description: 'A placed order was shipped. Carries its customer, total and currency.',
  schema: z
    .object({ orderId: z.uuid(), customerId: z.uuid(), total: MinorUnits, currency: CurrencyCode })
    .strict(),
});
export type OrderShipped = z.infer<typeof OrderShippedV1.schema>;
