import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { MinorUnits } from '../money';
import { ORDER_TOPIC } from '../topics';

export const Sku = z.string().min(1).max(64);

export const OrderLineAddedV1 = defineEvent({
  name: 'OrderLineAdded',
  version: 1,
  topic: ORDER_TOPIC,
  description: 'A line was added to a draft order. unitPrice is in minor units of the order currency.',
  schema: z
    .object({
      orderId: z.uuid(),
      sku: Sku,
      quantity: z.number().int().min(1),
      unitPrice: MinorUnits,
    })
    .strict(),
});
export type OrderLineAdded = z.infer<typeof OrderLineAddedV1.schema>;
