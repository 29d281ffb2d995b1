import type { DataSource } from 'typeorm';
import { rowsOf, selectList } from '@tandem/platform/read-model';
import { customerOrdersModel, type CustomerOrdersRow } from './customer-orders.read-model';

const { columns, table } = customerOrdersModel;

/** Reads of the customer-orders read model. */
export class CustomerOrdersQueries {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A customer the read side knows as registered; rows made only by order events (name unknown yet) are not one.
   * With `owner`, only if the record belongs to that account.
   */
  async findRegistered(customerId: string, owner?: string): Promise<CustomerOrdersRow | null> {
    const raw = await this.dataSource.query(
      `SELECT ${selectList(columns)} FROM ${table} WHERE customer_id = $1 AND name IS NOT NULL
       ${owner === undefined ? '' : 'AND owner_subject = $2'}`,
      owner === undefined ? [customerId] : [customerId, owner],
    );
    return rowsOf(columns, raw)[0] ?? null;
  }
}
