import { MAX_AMOUNT, maxAmount } from '@tandem/contracts';
import { InvalidCreditLimit } from '../errors/customer.errors';

/**
 * A credit limit is whole minor units from 0 to the currency's maximum amount (10^12 major units): it bounds one
 * order's total, and no order may total more than that maximum. Without a currency (before the customer is loaded),
 * only what no currency allows is refused.
 */
export function assertValidCreditLimit(creditLimit: number, currency?: string): void {
  const max = currency === undefined ? MAX_AMOUNT : maxAmount(currency);
  if (!Number.isSafeInteger(creditLimit) || creditLimit < 0 || creditLimit > max) {
    throw new InvalidCreditLimit(creditLimit, max, currency);
  }
}
