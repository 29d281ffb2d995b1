import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { MinorUnits, Money } from '../money';
import { ORDER_TOPIC, ORDER_TOPIC_V1 } from '../topics';

export const Sku = z.string().min(1).max(64);

/**
 * Superseded by v2, and published only on the deprecated `orders.order.v1` (as every v2 line is there, downcast):
 * its unit price is a bare amount, whose currency is the order's, known only from the order's OrderCreated.
 */
export const OrderLineAddedV1 = defineEvent({
  name: 'OrderLineAdded',
  version: 1,
  topic: ORDER_TOPIC_V1,
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
export type OrderLineAddedV1Payload = z.infer<typeof OrderLineAddedV1.schema>;

/** v2: the unit price carries its currency (always the order's), like every other amount on the contract. */
export const OrderLineAddedV2 = defineEvent({
  name: 'OrderLineAdded',
  version: 2,
  topic: ORDER_TOPIC,
  description:
    "A line was added to a draft order. unitPrice is { amount, currency }: amount in minor units of currency, the order's currency.",
  schema: z
    .object({
      orderId: z.uuid(),
      sku: Sku,
      quantity: z.number().int().min(1),
      unitPrice: Money,
    })
    .strict(),
});
export type OrderLineAdded = z.infer<typeof OrderLineAddedV2.schema>;
