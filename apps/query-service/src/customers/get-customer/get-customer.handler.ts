import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CustomerOrdersQueries } from '@tandem/read/models';
import { ReadModelNotFound } from '../../read-errors';
import { toCustomerView, type CustomerView } from '../customer.view';
import { GetCustomerQuery } from './get-customer.query';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery, CustomerView> {
  constructor(private readonly customers: CustomerOrdersQueries) {}

  async execute(query: GetCustomerQuery): Promise<CustomerView> {
    const row = await this.customers.findRegistered(query.customerId);
    if (!row) throw new ReadModelNotFound('customer.not-found', `no customer ${query.customerId}`);
    return toCustomerView(row);
  }
}
