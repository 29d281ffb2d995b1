import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { CurrencyCode, MinorUnits } from '../money';
import { ORDER_TOPIC } from '../topics';

export const OrderPlacedV1 = defineEvent({
  name: 'OrderPlaced',
  version: 1,
  topic: ORDER_TOPIC,
  description:
    'A draft order was placed. Carries its customer, total and currency so consumers need no earlier event.',
  schema: z
    .object({ orderId: z.uuid(), customerId: z.uuid(), total: MinorUnits, currency: CurrencyCode })
    .strict(),
});
export type OrderPlaced = z.infer<typeof OrderPlacedV1.schema>;
