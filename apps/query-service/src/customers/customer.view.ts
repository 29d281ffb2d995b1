import type { Customer } from '@tandem/contracts';
import type { CustomerOrdersRow } from '@tandem/read/models';
import { apiTime, apiTimeOrNull } from '../api-time';

/** The customer dashboard as the API shows it: the `Customer` schema of libs/contracts. */
export type CustomerView = Customer;

export function toCustomerView(row: CustomerOrdersRow): CustomerView {
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
  };
}
