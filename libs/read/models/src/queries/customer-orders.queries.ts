import type { DataSource } from 'typeorm';
import { CustomerOrdersEntity } from '../entities/customer-orders.entity';

/** Reads of the customer-orders read model. */
export class CustomerOrdersQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** A customer the read side knows as registered; rows made only by order events (name unknown yet) are not one. */
  async findRegistered(customerId: string): Promise<CustomerOrdersEntity | null> {
    const row = await this.dataSource.getRepository(CustomerOrdersEntity).findOneBy({ customerId });
    return row && row.name !== null ? row : null;
  }
}
