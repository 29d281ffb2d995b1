import { ORDER_TOPIC } from '@tandem/contracts';
import { ORDER_SUMMARY_PROJECTION } from '@tandem/read/models';
import { foldOrderSummaries } from './order-summary.fold';
import {
  ProjectionRejectedEvent,
  type Projection,
  type ProjectedEvent,
  type ProjectionContext,
} from '../runtime/projection';

/** One row per order: status, lines, total, version and timestamps, as `GET /api/orders/{id}` and lists serve it. */
export const orderSummaryProjection: Projection = {
  name: ORDER_SUMMARY_PROJECTION,
  topics: [ORDER_TOPIC],
  applyMany: foldOrderSummaries,
  async apply({ envelope, event }: ProjectedEvent, context: ProjectionContext): Promise<void> {
    const table = context.table('order_summary');
    const { streamVersion: version, time } = envelope;
    let rows: unknown[];
    switch (event.type) {
      // created_at is the list keyset: kept at millisecond precision so that a cursor (a JS Date) names it exactly.
      case 'OrderCreated':
        rows = await context.query(
          `INSERT INTO ${table} (order_id, customer_id, status, currency, lines, line_count, total, version, created_at, updated_at)
           VALUES ($1, $2, 'draft', $3, '[]'::jsonb, 0, 0, $4, date_trunc('milliseconds', $5::timestamptz), $5) RETURNING order_id`,
          [event.data.orderId, event.data.customerId, event.data.currency, version, time],
        );
        break;
      case 'OrderLineAdded':
        rows = await context.query(
          `UPDATE ${table} SET
             lines = lines || jsonb_build_array(jsonb_build_object('sku', $2::text, 'quantity', $3::int, 'unitPrice', $4::bigint)),
             line_count = line_count + 1,
             total = total + $3::bigint * $4::bigint,
             version = $5, updated_at = $6
           WHERE order_id = $1 RETURNING order_id`,
          [event.data.orderId, event.data.sku, event.data.quantity, event.data.unitPrice, version, time],
        );
        break;
      case 'OrderLineRemoved':
        // Every line with that SKU goes, as in the write model; totals are recomputed from what remains.
        rows = await context.query(
          `UPDATE ${table} SET
             lines = COALESCE((SELECT jsonb_agg(l ORDER BY n) FROM jsonb_array_elements(lines) WITH ORDINALITY AS e(l, n) WHERE l->>'sku' <> $2), '[]'::jsonb),
             line_count = (SELECT count(*) FROM jsonb_array_elements(lines) l WHERE l->>'sku' <> $2),
             total = COALESCE((SELECT sum((l->>'quantity')::bigint * (l->>'unitPrice')::bigint) FROM jsonb_array_elements(lines) l WHERE l->>'sku' <> $2), 0),
             version = $3, updated_at = $4
           WHERE order_id = $1 RETURNING order_id`,
          [event.data.orderId, event.data.sku, version, time],
        );
        break;
      case 'OrderPlaced':
        rows = await context.query(
          `UPDATE ${table} SET status = 'placed', placed_at = $3, version = $2, updated_at = $3
           WHERE order_id = $1 RETURNING order_id`,
          [event.data.orderId, version, time],
        );
        break;
      case 'OrderShipped':
        rows = await context.query(
          `UPDATE ${table} SET status = 'shipped', shipped_at = $3, version = $2, updated_at = $3
           WHERE order_id = $1 RETURNING order_id`,
          [event.data.orderId, version, time],
        );
        break;
      case 'OrderCancelled':
        rows = await context.query(
          `UPDATE ${table} SET status = 'cancelled', cancelled_at = $3, cancel_reason = $4, version = $2, updated_at = $3
           WHERE order_id = $1 RETURNING order_id`,
          [event.data.orderId, version, time, event.data.reason],
        );
        break;
      default:
        return;
    }
    if (rows.length !== 1) {
      throw new ProjectionRejectedEvent(
        `${event.type} for order ${envelope.subject}: no order summary to apply it to`,
      );
    }
  },
};
