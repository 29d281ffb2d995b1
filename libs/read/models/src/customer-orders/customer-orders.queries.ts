import type { DataSource } from 'typeorm';
import { rowsOf, selectList } from '@tandem/platform/read-model';
import { customerOrdersModel, type CustomerOrdersRow } from './customer-orders.read-model';

const { columns, table } = customerOrdersModel;

/** Reads of the customer-orders read model. */
export class CustomerOrdersQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** A customer the read side knows as registered; rows made only by order events (name unknown yet) are not one. */
  async findRegistered(customerId: string): Promise<CustomerOrdersRow | null> {
    const raw = await this.dataSource.query(
      `SELECT ${selectList(columns)} FROM ${table} WHERE customer_id = $1 AND name IS NOT NULL`,
      [customerId],
    );
    return rowsOf(columns, raw)[0] ?? null;
  }
}
