import { ORDER_TOPIC } from '@tandem/contracts';
import { DAILY_SALES_PROJECTION } from '@tandem/read/models';
import type { Projection, ProjectedEvent, ProjectionContext } from '../runtime/projection';

/** Per UTC day (of the event's time) and currency: orders placed, shipped and cancelled, counted and totalled. */
export const dailySalesProjection: Projection = {
  name: DAILY_SALES_PROJECTION,
  topics: [ORDER_TOPIC],
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
