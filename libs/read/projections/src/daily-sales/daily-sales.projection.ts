import { ORDER_TOPIC } from '@tandem/contracts';
import { DAILY_SALES_PROJECTION } from '@tandem/read/models';
import type { Projection, ProjectedEvent, ProjectionContext } from '../runtime/projection';

/** Per UTC day (of the event's time) and currency: orders placed, shipped and cancelled, counted and totalled. */
export const dailySalesProjection: Projection = {
  name: DAILY_SALES_PROJECTION,
  topics: [ORDER_TOPIC],
  applyMany: applyDailySalesBatch,
  async apply({ envelope, event }: ProjectedEvent, context: ProjectionContext): Promise<void> {
    let kind: 'placed' | 'shipped' | 'cancelled';
    if (event.type === 'OrderPlaced') kind = 'placed';
    else if (event.type === 'OrderShipped') kind = 'shipped';
    else if (event.type === 'OrderCancelled') kind = 'cancelled';
    else return;
    const table = context.table('daily_sales');
    await context.query(
      `INSERT INTO ${table} (day, currency, ${kind}_count, ${kind}_total)
       VALUES (($1::timestamptz AT TIME ZONE 'UTC')::date, $2, 1, $3)
       ON CONFLICT (day, currency) DO UPDATE SET
         ${kind}_count = ${table}.${kind}_count + 1,
         ${kind}_total = ${table}.${kind}_total + EXCLUDED.${kind}_total`,
      [envelope.time, event.data.currency, event.data.total],
    );
  },
};

const KINDS = ['placed', 'shipped', 'cancelled'] as const;

/**
 * The batch path: every event only adds to its day's counters, which commutes, so PostgreSQL sums the batch per day
 * and currency and writes it with one multi-row upsert (the day is computed by the same expression as `apply`'s).
 */
async function applyDailySalesBatch(events: ProjectedEvent[], context: ProjectionContext): Promise<void> {
  const times: string[] = [];
  const currencies: string[] = [];
  const columns: Record<(typeof KINDS)[number], { counts: number[]; totals: number[] }> = {
    placed: { counts: [], totals: [] },
    shipped: { counts: [], totals: [] },
    cancelled: { counts: [], totals: [] },
  };
  for (const { envelope, event } of events) {
    let kind: (typeof KINDS)[number];
    if (event.type === 'OrderPlaced') kind = 'placed';
    else if (event.type === 'OrderShipped') kind = 'shipped';
    else if (event.type === 'OrderCancelled') kind = 'cancelled';
    else continue;
    times.push(envelope.time);
    currencies.push(event.data.currency);
    for (const other of KINDS) {
      columns[other].counts.push(other === kind ? 1 : 0);
      columns[other].totals.push(other === kind ? event.data.total : 0);
    }
  }
  if (times.length === 0) return;
  const table = context.table('daily_sales');
  const targets = KINDS.flatMap((k) => [`${k}_count`, `${k}_total`]);
  await context.query(
    `INSERT INTO ${table} AS t (day, currency, ${targets.join(', ')})
     SELECT (at AT TIME ZONE 'UTC')::date, currency, ${targets.map((c) => `sum(${c})`).join(', ')}
       FROM unnest($1::timestamptz[], $2::char(3)[], ${targets
         .map((c, i) => `$${i + 3}::${c.endsWith('_count') ? 'int' : 'bigint'}[]`)
         .join(', ')}) AS e(at, currency, ${targets.join(', ')})
      GROUP BY 1, 2
     ON CONFLICT (day, currency) DO UPDATE SET ${targets.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}`,
    [times, currencies, ...KINDS.flatMap((k) => [columns[k].counts, columns[k].totals])],
  );
}
