import { z } from 'zod';
import { isKnownCurrency } from '../currencies';
import { isValidEmail } from '../email';
import { CommandAmount, MAX_AMOUNT, maxAmount } from '../money';
import { CUSTOMER_ID, defineCommands } from './command-route';
import { rolesOf } from './access';

// Bodies check shape only (types, ranges, formats): a request that fails them is a 400 naming each bad field.
// Business rules (email taken, customer missing) are the domain's, answered 409 or 404.

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

/** The Customer's commands (state-stored): one block per command. */
export const CUSTOMER_COMMANDS = defineCommands({
  RegisterCustomer: {
    method: 'POST',
    path: '/api/customers',
    operationId: 'registerCustomer',
    summary: 'Register a customer',
    description:
      'Email must be valid and unique; currency a known ISO 4217 code; creditLimit from 0 to 10^12 major units ' +
      'of the currency, in minor units (JPY 10^12, EUR 10^14).',
    params: {},
    body: { name: 'RegisterCustomerRequest', schema: RegisterCustomerRequest },
    creates: true,
    emits: ['CustomerRegistered'],
    rejects: {
      'customer.email-taken': 409,
      'customer.already-registered': 409,
      'customer.email-not-verified': 403,
      'customer.invalid-email': 400,
      'customer.invalid-name': 400,
      'customer.unknown-currency': 400,
      'customer.invalid-credit-limit': 400,
    },
    access: rolesOf('customer', 'staff'),
  },

  ChangeCreditLimit: {
    method: 'PUT',
    path: '/api/customers/:id/credit-limit',
    operationId: 'changeCreditLimit',
    summary: "Change a customer's credit limit",
    params: { id: CUSTOMER_ID },
    body: { name: 'ChangeCreditLimitRequest', schema: ChangeCreditLimitRequest },
    emits: ['CustomerCreditLimitChanged'],
    rejects: {
      'customer.not-found': 404,
      'customer.invalid-credit-limit': 400,
    },
    access: rolesOf('staff'),
  },
});
export type CustomerCommandName = keyof typeof CUSTOMER_COMMANDS;
