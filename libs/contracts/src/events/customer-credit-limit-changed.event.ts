import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { MinorUnits } from '../money';
import { CUSTOMER_TOPIC } from '../topics';

export const CustomerCreditLimitChangedV1 = defineEvent({
  name: 'CustomerCreditLimitChanged',
  version: 1,
  topic: CUSTOMER_TOPIC,
  description: "A customer's credit limit changed; amounts are in the customer's currency.",
  schema: z
    .object({
      customerId: z.uuid(),
      creditLimit: MinorUnits,
      previousCreditLimit: MinorUnits,
    })
    .strict(),
});
export type CustomerCreditLimitChanged = z.infer<typeof CustomerCreditLimitChangedV1.schema>;
