import { z } from 'zod';

/** An amount of money in minor units (cents for EUR): a non-negative safe integer. */
export const MinorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An ISO 4217 alphabetic code. Whether the write side accepts it is a domain rule, not a schema rule. */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as EUR');
