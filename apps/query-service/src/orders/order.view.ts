import type { OrderSummaryEntity } from '@tandem/read/models';

/** The order as the API shows it (see the gateway's OrderSummary schema). */
export interface OrderView {
  id: string;
  customerId: string;
  status: OrderSummaryEntity['status'];
  currency: string;
  lines: OrderSummaryEntity['lines'];
  lineCount: number;
  total: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  placedAt: string | null;
  shippedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export function toOrderView(row: OrderSummaryEntity): OrderView {
  return {
    id: row.orderId,
    customerId: row.customerId,
    status: row.status,
    currency: row.currency,
    lines: row.lines,
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
