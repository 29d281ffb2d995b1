import { INLINE_MODELS_TABLE, type InlineReader } from '../inline-read';
import { customerExposureModel } from './customer-exposure.model';

/** A customer's open orders as the API shows them (zeros when it has none). */
export interface OpenOrders {
  count: number;
  /** Minor units of the customer's currency, as a decimal string (a numeric sum). */
  total: string;
}

interface Row {
  open_count: number | null;
  open_total: string | null;
}

/**
 * The open orders of one customer, or null while the model is not trusted yet (the write side has not filled it
 * from the event store). One statement: the model's fill record and the customer's row, if any.
 */
export async function findOpenOrders(db: InlineReader, customerId: string): Promise<OpenOrders | null> {
  const [row] = await db.query<Row>(
    `SELECT e.open_count, e.open_total::text AS open_total
       FROM ${INLINE_MODELS_TABLE} m
       LEFT JOIN ${customerExposureModel.table} e ON e.customer_id = $2
      WHERE m.model = $1`,
    [customerExposureModel.name, customerId],
  );
  if (!row) return null;
  return { count: row.open_count ?? 0, total: row.open_total ?? '0' };
}
