import { CUSTOMER_TOPIC, ORDER_TOPIC } from '@tandem/contracts';
import { CUSTOMER_ORDERS_PROJECTION } from '@tandem/read/models';
import { isCanonicalUtc } from '../runtime/event-time';
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
  applyMany: applyCustomerOrdersBatch,
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

const COUNTERS: Counter[] = ['draft_count', 'placed_count', 'shipped_count', 'cancelled_count'];
const COLUMNS = [...COUNTERS, 'lifetime_value'] as const;

/**
 * The batch path. Order events only add to counters (and move updated_at to the latest time), which commutes, so
 * they are summed per customer and written with one multi-row upsert, with no read. Times in the canonical UTC form
 * are compared here; a customer's event with any other form of time gets a row of its own, and PostgreSQL, which
 * sums the rows per customer once more, takes the latest. Customer events (a registration, a credit limit change: a
 * few per customer's life) set columns the order events never touch, and go through `apply` one by one after it. The
 * order of the two does not matter: a credit limit change only applies after its stream's registration, which always
 * leaves a row behind. The lifetime value is summed as a BigInt and kept numeric: a customer can ship any number of
 * orders, so the sum has no bound that a JS number or a bigint column could hold exactly.
 */
async function applyCustomerOrdersBatch(events: ProjectedEvent[], context: ProjectionContext): Promise<void> {
  interface Row {
    customerId: string;
    time: string;
    counts: Record<Counter, number>;
    lifetimeValue: bigint;
  }
  const sums = new Map<string, Row>();
  let others = 0;
  const bump = (
    customerId: string,
    time: string,
    changes: Partial<Record<Counter, number>>,
    lifetimeValue = 0,
  ): void => {
    const canonical = isCanonicalUtc(time);
    const key = canonical ? customerId : `${customerId} ${others++}`;
    let row = sums.get(key);
    if (!row) {
      row = {
        customerId,
        time,
        counts: { draft_count: 0, placed_count: 0, shipped_count: 0, cancelled_count: 0 },
        lifetimeValue: 0n,
      };
      sums.set(key, row);
    } else if (time > row.time) row.time = time;
    for (const column of COUNTERS) row.counts[column] += changes[column] ?? 0;
    row.lifetimeValue += BigInt(lifetimeValue);
  };
  const customerEvents: ProjectedEvent[] = [];
  for (const projected of events) {
    const { envelope, event } = projected;
    switch (event.type) {
      case 'CustomerRegistered':
      case 'CustomerCreditLimitChanged':
        customerEvents.push(projected);
        break;
      case 'OrderCreated':
        bump(event.data.customerId, envelope.time, { draft_count: 1 });
        break;
      case 'OrderPlaced':
        bump(event.data.customerId, envelope.time, { draft_count: -1, placed_count: 1 });
        break;
      case 'OrderShipped':
        bump(event.data.customerId, envelope.time, { placed_count: -1, shipped_count: 1 }, event.data.total);
        break;
      case 'OrderCancelled':
        bump(event.data.customerId, envelope.time, {
          [event.data.previousStatus === 'draft' ? 'draft_count' : 'placed_count']: -1,
          cancelled_count: 1,
        });
        break;
      default:
        break;
    }
  }
  if (sums.size > 0) {
    const rows = [...sums.values()];
    const table = context.table('customer_orders');
    await context.query(
      `INSERT INTO ${table} AS t (customer_id, ${COLUMNS.join(', ')}, updated_at)
       SELECT customer_id, ${COLUMNS.map((c) => `sum(${c})`).join(', ')}, max(at)
         FROM unnest($1::uuid[], $2::timestamptz[], ${COLUMNS.map(
           (c, i) => `$${i + 3}::${c === 'lifetime_value' ? 'numeric' : 'int'}[]`,
         ).join(', ')}) AS e(customer_id, at, ${COLUMNS.join(', ')})
        GROUP BY customer_id
       ON CONFLICT (customer_id) DO UPDATE SET
         ${COLUMNS.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')},
         updated_at = GREATEST(t.updated_at, EXCLUDED.updated_at)`,
      [
        rows.map((r) => r.customerId),
        rows.map((r) => r.time),
        ...COUNTERS.map((c) => rows.map((r) => r.counts[c])),
        rows.map((r) => r.lifetimeValue.toString()),
      ],
    );
  }
  for (const projected of customerEvents) await customerOrdersProjection.apply(projected, context);
}
