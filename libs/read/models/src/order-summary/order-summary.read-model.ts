import { latestOrderLineAdded, type ConsumedEvent } from '@tandem/contracts';
import {
  column,
  defineDocumentModel,
  millisecondTime,
  nullable,
  ReadModelRejectedEvent,
  type RowOf,
} from '@tandem/platform/read-model';

export type OrderStatus = 'draft' | 'placed' | 'shipped' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = ['draft', 'placed', 'shipped', 'cancelled'];

export interface OrderSummaryLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

const columns = {
  order_id: column('uuid'),
  customer_id: column('uuid'),
  status: column<'text', OrderStatus>('text'),
  currency: column('char(3)'),
  /** In the order they were added. */
  lines: column<'jsonb', OrderSummaryLine[]>('jsonb'),
  line_count: column('int'),
  total: column('bigint'),
  /** The order stream's version: the ETag, and what a consistency token waits for. */
  version: column('int'),
  /** The list keyset: kept at millisecond precision, so that a cursor (a JS Date) names it exactly. */
  created_at: column('timestamptz'),
  updated_at: column('timestamptz'),
  placed_at: nullable('timestamptz'),
  shipped_at: nullable('timestamptz'),
  cancelled_at: nullable('timestamptz'),
  cancel_reason: nullable('text'),
  /** The time of the last line added or removed. */
  lines_changed_at: nullable('timestamptz'),
};

/** One order as `GET /api/orders/{id}` and the order lists serve it. */
export type OrderSummaryRow = RowOf<typeof columns>;

/** One row per order: status, lines, total, version and timestamps. */
export const orderSummaryModel = defineDocumentModel<ConsumedEvent>()({
  name: 'order-summary',
  table: 'order_summary',
  key: 'order_id',
  columns,
  handles: [
    'OrderCreated',
    'OrderLineAdded',
    'OrderLineRemoved',
    'OrderPlaced',
    'OrderShipped',
    'OrderCancelled',
  ],
  creates: ['OrderCreated'],
  evolve(row, { envelope: { streamVersion: version, time }, event }): OrderSummaryRow {
    if (event.type === 'OrderCreated') {
      return {
        order_id: event.data.orderId,
        customer_id: event.data.customerId,
        status: 'draft',
        currency: event.data.currency,
        lines: [],
        line_count: 0,
        total: 0,
        version,
        created_at: millisecondTime(time),
        updated_at: time,
        placed_at: null,
        shipped_at: null,
        cancelled_at: null,
        cancel_reason: null,
        lines_changed_at: null,
      };
    }
    // The kit rejects an event for an order without a row before it gets here.
    if (row === null) throw new ReadModelRejectedEvent(`${event.type}: no order summary`);
    const next = { ...row, version, updated_at: time };
    switch (event.type) {
      case 'OrderLineAdded': {
        // v1 (orders.order.v1, old records) has no currency: it is the order's, which this row has (upcasters.ts).
        const { sku, quantity, unitPrice } = latestOrderLineAdded(event.data, row);
        if (unitPrice.currency !== row.currency) {
          throw new ReadModelRejectedEvent(
            `OrderLineAdded for ${row.order_id}: priced in ${unitPrice.currency}, the order is in ${row.currency}`,
          );
        }
        const lines = [...row.lines, { sku, quantity, unitPrice: unitPrice.amount }];
        return {
          ...next,
          lines,
          line_count: lines.length,
          total: row.total + quantity * unitPrice.amount,
          lines_changed_at: time,
        };
      }
      case 'OrderLineRemoved': {
        // Every line with that SKU goes, as in the write model; the total is recomputed from what remains.
        const lines = row.lines.filter((line) => line.sku !== event.data.sku);
        const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
        return { ...next, lines, line_count: lines.length, total, lines_changed_at: time };
      }
      case 'OrderPlaced':
        return { ...next, status: 'placed', placed_at: time };
      case 'OrderShipped':
        return { ...next, status: 'shipped', shipped_at: time };
      case 'OrderCancelled':
        return { ...next, status: 'cancelled', cancelled_at: time, cancel_reason: event.data.reason };
      default:
        return row;
    }
  },
});
