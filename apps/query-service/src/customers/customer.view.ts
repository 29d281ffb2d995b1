import type { CustomerOrdersEntity } from '@tandem/read/models';

/** The customer dashboard as the API shows it (see the gateway's Customer schema). */
export interface CustomerView {
  id: string;
  name: string;
  email: string;
  currency: string;
  creditLimit: number;
  version: number;
  orderCounts: { draft: number; placed: number; shipped: number; cancelled: number };
  lifetimeValue: number;
  registeredAt: string | null;
  updatedAt: string;
}

export function toCustomerView(row: CustomerOrdersEntity): CustomerView {
  return {
    id: row.customerId,
    name: row.name ?? '',
    email: row.email ?? '',
    currency: row.currency ?? '',
    creditLimit: row.creditLimit ?? 0,
    version: row.version,
    orderCounts: {
      draft: row.draftCount,
      placed: row.placedCount,
      shipped: row.shippedCount,
      cancelled: row.cancelledCount,
    },
    lifetimeValue: row.lifetimeValue,
    registeredAt: row.registeredAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
