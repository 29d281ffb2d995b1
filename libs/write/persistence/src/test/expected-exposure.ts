import type { DataSource } from 'typeorm';

/** A customer_exposure row as the tests compare it. */
export interface ExposureRow {
  customer_id: string;
  currency: string;
  open_count: number;
  open_total: string;
  updated_at: string;
}

/** The model's rows, in a form that compares exactly (the total as text, the time as PostgreSQL writes it). */
export async function exposureRows(db: DataSource, table = 'customer_exposure'): Promise<ExposureRow[]> {
  return (await db.query(
    `SELECT customer_id, currency, open_count, open_total::text AS open_total, to_json(updated_at) #>> '{}' AS updated_at
       FROM ${table} ORDER BY customer_id`,
  )) as ExposureRow[];
}

/**
 * What the exposure must be, derived from the event store by plain SQL and not by the model: per customer with a
 * placed order, the orders whose last opening or closing event is OrderPlaced, and the time of the last such event.
 */
export async function expectedExposure(db: DataSource): Promise<ExposureRow[]> {
  return (await db.query(
    `SELECT customer_id, currency,
            count(*) FILTER (WHERE open)::int AS open_count,
            COALESCE(sum(total) FILTER (WHERE open), 0)::text AS open_total,
            to_json(max(last_at)) #>> '{}' AS updated_at
       FROM (SELECT DISTINCT ON (stream_id) (data->>'customerId')::uuid AS customer_id, data->>'currency' AS currency,
                    (data->>'total')::numeric AS total, type = 'OrderPlaced' AS open,
                    max(recorded_at) OVER (PARTITION BY stream_id) AS last_at
               FROM events
              WHERE type IN ('OrderPlaced', 'OrderShipped')
                 OR (type = 'OrderCancelled' AND data->>'previousStatus' = 'placed')
              ORDER BY stream_id, version DESC) orders
      GROUP BY customer_id, currency
      ORDER BY customer_id`,
  )) as ExposureRow[];
}
