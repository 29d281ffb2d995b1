import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OrderSummaryQueries } from '@tandem/read/models';
import { ReadModelNotFound } from '../../read-errors';
import { toOrderView, type OrderView } from '../order.view';
import { GetOrderQuery } from './get-order.query';

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery, OrderView> {
  constructor(private readonly orders: OrderSummaryQueries) {}

  async execute(query: GetOrderQuery): Promise<OrderView> {
    const row = await this.orders.findById(query.orderId, query.owner);
    if (!row) throw new ReadModelNotFound('order.not-found', `no order ${query.orderId}`);
    return toOrderView(row);
  }
}
