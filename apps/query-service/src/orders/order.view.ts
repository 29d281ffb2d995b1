import type { OrderSummary } from '@tandem/contracts';
import type { OrderSummaryRow } from '@tandem/read/models';
import { apiTime, apiTimeOrNull } from '../api-time';

/** The order as the API shows it: the `OrderSummary` schema of libs/contracts, which the OpenAPI document shows. */
export type OrderView = OrderSummary;

export function toOrderView(row: OrderSummaryRow): OrderView {
  return {
    id: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    currency: row.currency,
    lines: row.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
    lineCount: row.line_count,
    total: row.total,
    version: row.version,
    createdAt: apiTime(row.created_at),
    updatedAt: apiTime(row.updated_at),
    placedAt: apiTimeOrNull(row.placed_at),
    shippedAt: apiTimeOrNull(row.shipped_at),
    cancelledAt: apiTimeOrNull(row.cancelled_at),
    cancelReason: row.cancel_reason,
  };
}
