import { z } from 'zod';
import { isKnownCurrency } from '../currencies';
import { isValidEmail } from '../email';
import { CommandAmount, MAX_AMOUNT, maxAmount } from '../money';
import { Sku } from '../events/order-line-added.event';

/**
 * Bodies of the gateway's command routes. They check shape only (types, ranges, formats): a request that fails
 * them is a 400 naming each bad field. Business rules (credit limit, order status) are the domain's, answered 409.
 */
export const RegisterCustomerRequest = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    email: z.string().trim().refine(isValidEmail, 'must be a valid email address'),
    currency: z.string().refine(isKnownCurrency, 'must be a known ISO 4217 currency code such as EUR'),
    creditLimit: CommandAmount,
  })
  .strict()
  .superRefine(({ currency, creditLimit }, ctx) => {
    // The bound per currency, where the body says which: the same rule the domain enforces. Above MAX_AMOUNT the
    // field's own check has already said so.
    if (isKnownCurrency(currency) && creditLimit <= MAX_AMOUNT && creditLimit > maxAmount(currency)) {
      ctx.addIssue({
        code: 'custom',
        path: ['creditLimit'],
        message: `must be at most ${maxAmount(currency)} minor units for ${currency} (10^12 ${currency})`,
      });
    }
  });
export type RegisterCustomerRequest = z.infer<typeof RegisterCustomerRequest>;

export const ChangeCreditLimitRequest = z.object({ creditLimit: CommandAmount }).strict();
export type ChangeCreditLimitRequest = z.infer<typeof ChangeCreditLimitRequest>;

export const CreateOrderRequest = z.object({ customerId: z.uuid() }).strict();
export type CreateOrderRequest = z.infer<typeof CreateOrderRequest>;

/** A SKU as a client sends it: surrounding whitespace is dropped, and a blank SKU is refused. */
export const SkuInput = z.string().trim().min(1, 'must not be blank').pipe(Sku);

export const AddOrderLineRequest = z
  .object({
    sku: SkuInput,
    quantity: z.number().int().min(1).max(1_000_000),
    unitPrice: CommandAmount,
  })
  .strict();
export type AddOrderLineRequest = z.infer<typeof AddOrderLineRequest>;

export const CancelOrderRequest = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export type CancelOrderRequest = z.infer<typeof CancelOrderRequest>;

/** What every accepted command answers. */
export const CommandAccepted = z.object({
  id: z.uuid(),
  version: z.number().int().min(1),
  consistencyToken: z.string(),
});
export type CommandAccepted = z.infer<typeof CommandAccepted>;
