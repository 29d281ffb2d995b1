import type { Customer } from '@tandem/contracts';
import type { OpenOrders } from '@tandem/inline-models';
import type { CustomerOrdersRow } from '@tandem/read/models';
import { apiTime, apiTimeOrNull } from '../api-time';

/** The customer dashboard as the API shows it: the `Customer` schema of libs/contracts. */
export type CustomerView = Customer;

/** The dashboard row (read DB, async) with the open orders (inline model, current), or null for those unknown. */
export function toCustomerView(row: CustomerOrdersRow, openOrders: OpenOrders | null): CustomerView {
  return {
    id: row.customer_id,
    name: row.name ?? '',
    email: row.email ?? '',
    currency: row.currency ?? '',
    creditLimit: row.credit_limit ?? 0,
    version: row.version,
    orderCounts: {
      draft: row.draft_count,
      placed: row.placed_count,
      shipped: row.shipped_count,
      cancelled: row.cancelled_count,
    },
    lifetimeValue: row.lifetime_value,
    registeredAt: apiTimeOrNull(row.registered_at),
    updatedAt: apiTime(row.updated_at),
    openOrders: openOrders && { count: openOrders.count, total: openOrders.total },
  };
}
