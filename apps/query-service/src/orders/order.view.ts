import type { OrderSummary } from '@tandem/contracts';
import type { OrderSummaryEntity } from '@tandem/read/models';

/** The order as the API shows it: the `OrderSummary` schema of libs/contracts, which the OpenAPI document shows. */
export type OrderView = OrderSummary;

export function toOrderView(row: OrderSummaryEntity): OrderView {
  return {
    id: row.orderId,
    customerId: row.customerId,
    status: row.status,
    currency: row.currency,
    lines: row.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
    lineCount: row.lineCount,
    total: row.total,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    placedAt: row.placedAt?.toISOString() ?? null,
    shippedAt: row.shippedAt?.toISOString() ?? null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    cancelReason: row.cancelReason,
  };
}
