import { InvalidCreditLimit } from '../errors/customer.errors';

/** Money is a safe integer of minor units, so a credit limit above 2^53 or with a fraction is refused. */
export function assertValidCreditLimit(creditLimit: number): void {
  if (!Number.isSafeInteger(creditLimit) || creditLimit < 0) throw new InvalidCreditLimit(creditLimit);
}
