import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { CurrencyCode } from '../money';
import { ORDER_TOPIC } from '../topics';

export const OrderCreatedV1 = defineEvent({
  name: 'OrderCreated',
  version: 1,
  topic: ORDER_TOPIC,
  description: "A draft order was created for a customer, in the customer's currency.",
  schema: z.object({ orderId: z.uuid(), customerId: z.uuid(), currency: CurrencyCode }).strict(),
});
export type OrderCreated = z.infer<typeof OrderCreatedV1.schema>;
