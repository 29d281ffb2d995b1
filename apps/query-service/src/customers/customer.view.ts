import type { Customer } from '@tandem/contracts';
import type { OpenOrders } from '@tandem/inline-models';
import type { CustomerOrdersEntity } from '@tandem/read/models';

/** The customer dashboard as the API shows it: the `Customer` schema of libs/contracts. */
export type CustomerView = Customer;

/** The dashboard row (read DB, async) with the open orders (inline model, current), or null for those unknown. */
export function toCustomerView(row: CustomerOrdersEntity, openOrders: OpenOrders | null): CustomerView {
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
    openOrders: openOrders && { count: openOrders.count, total: openOrders.total },
  };
}
