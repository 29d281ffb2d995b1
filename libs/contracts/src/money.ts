import { z } from 'zod';
import { CURRENCIES, isKnownCurrency } from './currencies';

/**
 * An amount of money in minor units (cents for EUR): a non-negative safe integer. This is the event contract's
 * bound, frozen with the released schemas; what a command may ask for is the tighter `maxAmount` below.
 */
export const MinorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An ISO 4217 alphabetic code. Whether the write side accepts it is a domain rule, not a schema rule. */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as EUR');

/**
 * The most a unit price, a line (quantity × unit price), an order total or a credit limit may be, in major units
 * of any currency: a trillion. It is the largest power of ten whose value in minor units stays a safe integer for
 * every currency (the largest exponent is 3: 10^15 < 2^53), so any one order's amounts are exact as JSON numbers,
 * in JavaScript and in a PostgreSQL bigint. Sums over orders (a day's sales, a customer's lifetime value) are not
 * bounded by it: they are kept as `numeric` and answered as decimal strings.
 */
export const MAX_MAJOR_UNITS = 1_000_000_000_000;

/** The bound in minor units of one currency: 10^12 × 10^exponent (JPY 10^12, EUR 10^14, KWD 10^15). */
export function maxAmount(currency: string): number {
  const exponent = isKnownCurrency(currency) ? CURRENCIES[currency] : undefined;
  if (exponent === undefined) throw new Error(`unknown currency ${currency}`);
  return MAX_MAJOR_UNITS * 10 ** exponent;
}

/** The bound over every currency (10^15 minor units): what a request can be checked against before its currency is known. */
export const MAX_AMOUNT = Math.max(...Object.keys(CURRENCIES).map(maxAmount));

/** An amount a command may carry: whole minor units from 0 to `MAX_AMOUNT`; the per-currency bound is the domain's. */
export const CommandAmount = MinorUnits.max(
  MAX_AMOUNT,
  `must be at most ${MAX_AMOUNT} minor units: 10^12 major units of the currency, so 10^(12 + its exponent) ` +
    'minor units (10^12 for JPY, 10^14 for EUR, 10^15 for KWD)',
);

/**
 * A sum of any number of amounts (a day's sales, a customer's lifetime value), in minor units, as a decimal string:
 * such a sum can pass 2^53, beyond which a JSON number is not read exactly by JavaScript clients.
 */
export const MinorUnitsSum = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative whole number in decimal');

/**
 * An amount with its currency, as events carry money from OrderLineAdded.v2 on: a consumer reading one event needs
 * no earlier one to know what the amount means.
 */
export const Money = z.object({ amount: MinorUnits, currency: CurrencyCode }).strict();
export type Money = z.infer<typeof Money>;
