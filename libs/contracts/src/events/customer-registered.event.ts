import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { CurrencyCode, MinorUnits } from '../money';
import { CUSTOMER_TOPIC } from '../topics';

export const CustomerRegisteredV1 = defineEvent({
  name: 'CustomerRegistered',
  version: 1,
  topic: CUSTOMER_TOPIC,
  description: 'A customer was registered with its currency and credit limit.',
  schema: z
    .object({
      customerId: z.uuid(),
      name: z.string().min(1).max(200),
      email: z.string().min(3).max(320),
      currency: CurrencyCode,
      creditLimit: MinorUnits,
    })
    .strict(),
});
export type CustomerRegistered = z.infer<typeof CustomerRegisteredV1.schema>;
