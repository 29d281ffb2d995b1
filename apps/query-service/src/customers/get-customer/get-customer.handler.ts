import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CustomerOrdersQueries } from '@tandem/read/models';
import { OpenOrdersReads } from '../../inline-database/open-orders.reads';
import { ReadModelNotFound } from '../../read-errors';
import { toCustomerView, type CustomerView } from '../customer.view';
import { GetCustomerQuery } from './get-customer.query';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery, CustomerView> {
  constructor(
    private readonly customers: CustomerOrdersQueries,
    private readonly openOrders: OpenOrdersReads,
  ) {}

  async execute(query: GetCustomerQuery): Promise<CustomerView> {
    // The dashboard from the read DB and the open orders from the inline model, at the same time.
    const [row, openOrders] = await Promise.all([
      this.customers.findRegistered(query.customerId, query.owner),
      this.openOrders.of(query.customerId),
    ]);
    if (!row) throw new ReadModelNotFound('customer.not-found', `no customer ${query.customerId}`);
    return toCustomerView(row, openOrders);
  }
}
