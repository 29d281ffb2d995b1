import type { CustomerEvent, OrderEvent } from '@tandem/contracts';

// Shared ids and event builders, so each spec states only what its rule is about.

export const ORDER_ID = '0b6f3c9e-6a35-4c1e-9d61-2f4f1c7a9e01';
export const CUSTOMER_ID = '7d2f8a41-3b5c-4e9a-8f10-6c2d9b3e4a52';
export const OTHER_CUSTOMER_ID = 'c1a9e3f7-2d4b-4a8c-b6e5-9f0d1c2b3a47';

export const orderCreated = (currency = 'EUR'): OrderEvent => ({
  type: 'OrderCreated',
  data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, currency },
});

export const lineAdded = (
  sku: string,
  quantity: number,
  unitPrice: number,
  currency = 'EUR',
): OrderEvent => ({
  type: 'OrderLineAdded',
  data: { orderId: ORDER_ID, sku, quantity, unitPrice: { amount: unitPrice, currency } },
});

export const lineRemoved = (sku: string): OrderEvent => ({
  type: 'OrderLineRemoved',
  data: { orderId: ORDER_ID, sku },
});

export const orderPlaced = (total: number, currency = 'EUR'): OrderEvent => ({
  type: 'OrderPlaced',
  data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, total, currency },
});

export const orderShipped = (total: number, currency = 'EUR'): OrderEvent => ({
  type: 'OrderShipped',
  data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, total, currency },
});

export const orderCancelled = (
  previousStatus: 'draft' | 'placed',
  total: number,
  reason = 'customer changed their mind',
): OrderEvent => ({
  type: 'OrderCancelled',
  data: { orderId: ORDER_ID, customerId: CUSTOMER_ID, reason, previousStatus, total, currency: 'EUR' },
});

/** `n` lines with distinct SKUs, 1 × 100 each. */
export const manyLines = (n: number): OrderEvent[] =>
  Array.from({ length: n }, (_, i) => lineAdded(`SKU-${i + 1}`, 1, 100));

/** Streams ending in each status, for rules that depend on it. */
export const STREAMS_BY_STATUS = {
  draft: [orderCreated(), lineAdded('A', 1, 100)],
  placed: [orderCreated(), lineAdded('A', 1, 100), orderPlaced(100)],
  shipped: [orderCreated(), lineAdded('A', 1, 100), orderPlaced(100), orderShipped(100)],
  cancelled: [orderCreated(), lineAdded('A', 1, 100), orderCancelled('draft', 100)],
} satisfies Record<string, OrderEvent[]>;

export const customerRegistered = (creditLimit = 50_000, email = 'Ann.Lee@Example.com'): CustomerEvent => ({
  type: 'CustomerRegistered',
  data: { customerId: CUSTOMER_ID, name: 'Ann Lee', email, currency: 'EUR', creditLimit },
});

export const creditLimitChanged = (creditLimit: number, previousCreditLimit: number): CustomerEvent => ({
  type: 'CustomerCreditLimitChanged',
  data: { customerId: CUSTOMER_ID, creditLimit, previousCreditLimit },
});
