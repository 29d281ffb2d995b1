import type { DataSource } from 'typeorm';
import { rowsOf, selectList } from '@tandem/platform/read-model';
import { customerOrdersModel } from '../customer-orders/customer-orders.read-model';
import { orderSummaryModel, type OrderStatus, type OrderSummaryRow } from './order-summary.read-model';

export interface OrderListFilter {
  /** Only the orders of the customer record that belongs to this account (a customer's own orders). */
  owner?: string;
  customerId?: string;
  status?: OrderStatus;
  /** Inclusive lower bound on created_at. */
  from?: Date;
  /** Exclusive upper bound on created_at. */
  to?: Date;
}

/** The position after which a page starts: the last row of the previous page, in (created_at DESC, order_id DESC). */
export interface OrderKeyset {
  createdAt: Date;
  orderId: string;
}

const { columns, table } = orderSummaryModel;
// The table is aliased so that ORDER BY names its columns: a bare name there would be the output column of the same
// name, the text `selectList` reads a timestamptz as.
const SELECT = `SELECT ${selectList(columns)} FROM ${table} o`;
/** The customer ids whose record belongs to an account: at most one, by the write side's unique owner. */
const OWNED = (param: string) =>
  `o.customer_id IN (SELECT customer_id FROM ${customerOrdersModel.table} WHERE owner_subject = ${param})`;

/** An order as the live streams read it: the row, and the account its customer record belongs to (or null). */
export interface OwnedOrderSummaryRow {
  row: OrderSummaryRow;
  owner: string | null;
}

const OWNER_OF = `(SELECT c.owner_subject FROM ${customerOrdersModel.table} c WHERE c.customer_id = o.customer_id)`;

/** Reads of the order-summary read model. */
export class OrderSummaryQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The order; with `owner`, only if it is an order of that account's customer record. */
  async findById(orderId: string, owner?: string): Promise<OrderSummaryRow | null> {
    const raw: Record<string, unknown>[] =
      owner === undefined
        ? await this.dataSource.query(`${SELECT} WHERE order_id = $1`, [orderId])
        : await this.dataSource.query(`${SELECT} WHERE order_id = $1 AND ${OWNED('$2')}`, [orderId, owner]);
    const [row] = rowsOf(columns, raw);
    return row ?? null;
  }

  /**
   * Newest first. The keyset comparison is a row-value comparison on the index's own columns, so each page is an
   * index range scan however deep it is, and rows inserted meanwhile (newer) never shift later pages.
   */
  async list(filter: OrderListFilter, after: OrderKeyset | null, limit: number): Promise<OrderSummaryRow[]> {
    const params: unknown[] = [];
    const param = (value: unknown, type: string): string => {
      params.push(value);
      return `$${params.length}::${type}`;
    };
    const where: string[] = [];
    if (filter.owner !== undefined) where.push(OWNED(param(filter.owner, 'text')));
    if (filter.customerId) where.push(`customer_id = ${param(filter.customerId, 'uuid')}`);
    if (filter.status) where.push(`status = ${param(filter.status, 'text')}`);
    if (filter.from) where.push(`created_at >= ${param(filter.from, 'timestamptz')}`);
    if (filter.to) where.push(`created_at < ${param(filter.to, 'timestamptz')}`);
    if (after) {
      where.push(
        `(created_at, order_id) < (${param(after.createdAt, 'timestamptz')}, ${param(after.orderId, 'uuid')})`,
      );
    }
    const sql = `${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY o.created_at DESC, o.order_id DESC LIMIT ${param(limit, 'int')}`;
    return rowsOf(columns, await this.dataSource.query(sql, params));
  }

  /**
   * The committed versions of these orders after the version given for each, from the change log
   * (`order_summary_changes`, the last 100 per order), in order and version order: what a live stream replays.
   */
  async changesAfter(watched: ReadonlyArray<{ orderId: string; after: number }>): Promise<OrderSummaryRow[]> {
    if (watched.length === 0) return [];
    const raw: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${selectList(columns)} FROM (
         SELECT (jsonb_populate_record(NULL::${table}, c.row)).*
           FROM order_summary_changes c
           JOIN unnest($1::uuid[], $2::int[]) AS w(order_id, after)
             ON c.order_id = w.order_id AND c.version > w.after
       ) o ORDER BY o.order_id, o.version`,
      [watched.map((w) => w.orderId), watched.map((w) => w.after)],
    );
    return rowsOf(columns, raw);
  }

  /** The orders with these ids that exist, each with its owner: one query for every live stream a notice wakes. */
  async findManyWithOwner(orderIds: readonly string[]): Promise<OwnedOrderSummaryRow[]> {
    if (orderIds.length === 0) return [];
    const raw: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${selectList(columns)}, ${OWNER_OF} AS owner_subject FROM ${table} o WHERE o.order_id = ANY($1::uuid[])`,
      [orderIds],
    );
    return owned(raw);
  }

  /**
   * The orders of a list filter (owner, customer) whose last event is at or after `since`, oldest change first, at
   * most `limit`: what a live list stream re-reads when a notice could not name the orders that moved.
   */
  async changedSince(
    filter: Pick<OrderListFilter, 'owner' | 'customerId'>,
    since: Date,
    limit: number,
  ): Promise<OwnedOrderSummaryRow[]> {
    const params: unknown[] = [since];
    const where = ['o.updated_at >= $1::timestamptz'];
    if (filter.owner !== undefined) {
      params.push(filter.owner);
      where.push(OWNED(`$${params.length}::text`));
    }
    if (filter.customerId !== undefined) {
      params.push(filter.customerId);
      where.push(`o.customer_id = $${params.length}::uuid`);
    }
    params.push(limit);
    const raw: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${selectList(columns)}, ${OWNER_OF} AS owner_subject FROM ${table} o WHERE ${where.join(' AND ')}
        ORDER BY o.updated_at, o.order_id LIMIT $${params.length}::int`,
      params,
    );
    return owned(raw);
  }
}

function owned(raw: Record<string, unknown>[]): OwnedOrderSummaryRow[] {
  const rows = rowsOf(columns, raw);
  return rows.map((row, i) => {
    const owner = raw[i]?.['owner_subject'];
    return { row, owner: typeof owner === 'string' ? owner : null };
  });
}
