/** How the API answers a broken rule: not-found → 404, conflict → 409, invalid → 400. */
export type DomainErrorKind = 'not-found' | 'conflict' | 'invalid';

/**
 * Every code a domain error can carry, with its kind and a title for people. Clients switch on the code, so a code
 * is never renamed or reused; the API docs list this catalogue, and a DomainError takes its kind from here so the
 * two cannot disagree.
 */
export const DOMAIN_ERROR_CODES = {
  'order.not-found': { kind: 'not-found', title: 'Order not found' },
  'order.already-exists': { kind: 'conflict', title: 'Order already exists' },
  'order.not-draft': { kind: 'conflict', title: 'Order is not a draft' },
  'order.no-lines': { kind: 'conflict', title: 'Order has no lines' },
  'order.too-many-lines': { kind: 'conflict', title: 'Order has too many lines' },
  'order.duplicate-sku': { kind: 'conflict', title: 'SKU already on the order' },
  'order.line-not-found': { kind: 'conflict', title: 'Order line not found' },
  'order.credit-limit-exceeded': { kind: 'conflict', title: 'Credit limit exceeded' },
  'order.not-placed': { kind: 'conflict', title: 'Order is not placed' },
  'order.already-shipped': { kind: 'conflict', title: 'Order already shipped' },
  'order.already-cancelled': { kind: 'conflict', title: 'Order already cancelled' },
  'order.amount-too-large': { kind: 'invalid', title: 'Amount too large' },
  'order.total-too-large': { kind: 'conflict', title: 'Order total too large' },
  'order.invalid-quantity': { kind: 'invalid', title: 'Invalid quantity' },
  'order.invalid-unit-price': { kind: 'invalid', title: 'Invalid unit price' },
  'order.invalid-sku': { kind: 'invalid', title: 'Invalid SKU' },
  'order.cancel-reason-required': { kind: 'invalid', title: 'Cancellation reason required' },
  'order.cancel-reason-too-long': { kind: 'invalid', title: 'Cancellation reason too long' },
  'customer.not-found': { kind: 'not-found', title: 'Customer not found' },
  'customer.already-exists': { kind: 'conflict', title: 'Customer already exists' },
  'customer.email-taken': { kind: 'conflict', title: 'Email already registered' },
  'customer.invalid-email': { kind: 'invalid', title: 'Invalid email address' },
  'customer.invalid-name': { kind: 'invalid', title: 'Invalid customer name' },
  'customer.unknown-currency': { kind: 'invalid', title: 'Unknown currency' },
  'customer.invalid-credit-limit': { kind: 'invalid', title: 'Invalid credit limit' },
} as const satisfies Record<string, { kind: DomainErrorKind; title: string }>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_CODES;
