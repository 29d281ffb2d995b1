import { ORDER_TOPIC } from '@tandem/contracts';
import { DAILY_SALES_PROJECTION } from '@tandem/read/models';
import type { Projection, ProjectedEvent, ProjectionContext } from '../runtime/projection';

/**
 * Per UTC day (of the event's time) and currency: orders placed, shipped and cancelled, counted and totalled. The
 * totals are numeric: a day can hold any number of orders, so no fixed-width integer bounds their sum.
 */
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
type Kind = (typeof KINDS)[number];

/** A UTC time as the command service writes it, at most microseconds: its UTC day is its first ten characters. */
const UTC_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z$/;

interface Sums {
  day: string | null;
  time: string | null;
  currency: string;
  counts: Record<Kind, number>;
  /** BigInt: a batch's sum of order totals can pass 2^53, past which a JS number is no longer exact. */
  totals: Record<Kind, bigint>;
}

/**
 * The batch path: every event only adds to its day's counters, which commutes, so the batch is summed per day and
 * currency here and written with one multi-row upsert. The day of a UTC time is read off it; any other time (an
 * offset, more digits) is sent as it is and its day computed by PostgreSQL, with the same expression as `apply`'s.
 */
async function applyDailySalesBatch(events: ProjectedEvent[], context: ProjectionContext): Promise<void> {
  const sums = new Map<string, Sums>();
  let others = 0;
  for (const { envelope, event } of events) {
    let kind: Kind;
    if (event.type === 'OrderPlaced') kind = 'placed';
    else if (event.type === 'OrderShipped') kind = 'shipped';
    else if (event.type === 'OrderCancelled') kind = 'cancelled';
    else continue;
    const day = UTC_TIME.exec(envelope.time)?.[1] ?? null;
    const key = day === null ? `time ${others++}` : `${day} ${event.data.currency}`;
    let row = sums.get(key);
    if (!row) {
      row = {
        day,
        time: day === null ? envelope.time : null,
        currency: event.data.currency,
        counts: { placed: 0, shipped: 0, cancelled: 0 },
        totals: { placed: 0n, shipped: 0n, cancelled: 0n },
      };
      sums.set(key, row);
    }
    row.counts[kind] += 1;
    row.totals[kind] += BigInt(event.data.total);
  }
  if (sums.size === 0) return;
  const rows = [...sums.values()];
  const table = context.table('daily_sales');
  const targets = KINDS.flatMap((k) => [`${k}_count`, `${k}_total`]);
  await context.query(
    `INSERT INTO ${table} AS t (day, currency, ${targets.join(', ')})
     SELECT COALESCE(day, (at AT TIME ZONE 'UTC')::date), currency, ${targets.map((c) => `sum(${c})`).join(', ')}
       FROM unnest($1::date[], $2::timestamptz[], $3::char(3)[], ${targets
         .map((c, i) => `$${i + 4}::${c.endsWith('_count') ? 'int' : 'numeric'}[]`)
         .join(', ')}) AS e(day, at, currency, ${targets.join(', ')})
      GROUP BY 1, 2
     ON CONFLICT (day, currency) DO UPDATE SET ${targets.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}`,
    [
      rows.map((r) => r.day),
      rows.map((r) => r.time),
      rows.map((r) => r.currency),
      ...KINDS.flatMap((k) => [rows.map((r) => r.counts[k]), rows.map((r) => r.totals[k].toString())]),
    ],
  );
}
