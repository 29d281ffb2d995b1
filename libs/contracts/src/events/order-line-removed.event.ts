import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { ORDER_TOPIC } from '../topics';
import { Sku } from './order-line-added.event';

export const OrderLineRemovedV1 = defineEvent({
  name: 'OrderLineRemoved',
  version: 1,
  topic: ORDER_TOPIC,
  description: 'A line was removed from a draft order.',
  schema: z.object({ orderId: z.uuid(), sku: Sku }).strict(),
});
export type OrderLineRemoved = z.infer<typeof OrderLineRemovedV1.schema>;
