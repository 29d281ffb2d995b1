import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { findOpenOrders, type InlineReader } from '@tandem/inline-models';
import { CustomerOrdersQueries } from '@tandem/read/models';
import { INLINE_READER } from '../../inline-database/inline-database.module';
import { ReadModelNotFound } from '../../read-errors';
import { toCustomerView, type CustomerView } from '../customer.view';
import { GetCustomerQuery } from './get-customer.query';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery, CustomerView> {
  constructor(
    private readonly customers: CustomerOrdersQueries,
    @Inject(INLINE_READER) private readonly inline: InlineReader | null,
  ) {}

  async execute(query: GetCustomerQuery): Promise<CustomerView> {
    // The dashboard from the read DB and the open orders from the inline model, at the same time.
    const [row, openOrders] = await Promise.all([
      this.customers.findRegistered(query.customerId),
      this.inline ? findOpenOrders(this.inline, query.customerId) : null,
    ]);
    if (!row) throw new ReadModelNotFound('customer.not-found', `no customer ${query.customerId}`);
    return toCustomerView(row, openOrders);
  }
}
