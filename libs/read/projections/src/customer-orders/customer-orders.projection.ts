import { CUSTOMER_TOPIC, ORDER_TOPIC } from '@tandem/contracts';
import { CUSTOMER_ORDERS_PROJECTION } from '@tandem/read/models';
import type { Projection, ProjectedEvent, ProjectionContext } from '../runtime/projection';

type Counter = 'draft_count' | 'placed_count' | 'shipped_count' | 'cancelled_count';

/**
 * One row per customer: registration details from the customer topic, order counts per status and the lifetime
 * value of shipped orders from the order topic. The two topics are not ordered relative to each other, so either
 * may create the row; the order stream's own checkpoint keeps each order counted once.
 */
export const customerOrdersProjection: Projection = {
  name: CUSTOMER_ORDERS_PROJECTION,
  topics: [CUSTOMER_TOPIC, ORDER_TOPIC],
  async apply({ envelope, event }: ProjectedEvent, context: ProjectionContext): Promise<void> {
    const table = context.table('customer_orders');
    const { streamVersion: version, time } = envelope;
    const bump = (customerId: string, changes: Partial<Record<Counter | 'lifetime_value', number>>) => {
      const columns = Object.keys(changes) as Array<Counter | 'lifetime_value'>;
      const values = columns.map((c) => changes[c] ?? 0);
      return context.query(
        `INSERT INTO ${table} (customer_id, ${columns.join(', ')}, updated_at)
         VALUES ($1, ${columns.map((_, i) => `$${i + 3}`).join(', ')}, $2)
         ON CONFLICT (customer_id) DO UPDATE SET
           ${columns.map((c) => `${c} = ${table}.${c} + EXCLUDED.${c}`).join(', ')},
           updated_at = GREATEST(${table}.updated_at, EXCLUDED.updated_at)`,
        [customerId, time, ...values],
      );
    };
    switch (event.type) {
      case 'CustomerRegistered':
        await context.query(
          `INSERT INTO ${table} (customer_id, name, email, currency, credit_limit, version, registered_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
           ON CONFLICT (customer_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
             currency = EXCLUDED.currency, credit_limit = EXCLUDED.credit_limit, version = EXCLUDED.version,
             registered_at = EXCLUDED.registered_at, updated_at = GREATEST(${table}.updated_at, EXCLUDED.updated_at)`,
          [
            event.data.customerId,
            event.data.name,
            event.data.email,
            event.data.currency,
            event.data.creditLimit,
            version,
            time,
          ],
        );
        return;
      case 'CustomerCreditLimitChanged':
        await context.query(
          `UPDATE ${table} SET credit_limit = $2, version = $3, updated_at = GREATEST(updated_at, $4)
           WHERE customer_id = $1`,
          [event.data.customerId, event.data.creditLimit, version, time],
        );
        return;
      case 'OrderCreated':
        await bump(event.data.customerId, { draft_count: 1 });
        return;
      case 'OrderPlaced':
        await bump(event.data.customerId, { draft_count: -1, placed_count: 1 });
        return;
      case 'OrderShipped':
        await bump(event.data.customerId, {
          placed_count: -1,
          shipped_count: 1,
          lifetime_value: event.data.total,
        });
        return;
      case 'OrderCancelled':
        await bump(event.data.customerId, {
          [event.data.previousStatus === 'draft' ? 'draft_count' : 'placed_count']: -1,
          cancelled_count: 1,
        });
        return;
      default:
        return;
    }
  },
};
