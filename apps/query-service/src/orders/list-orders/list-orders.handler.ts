import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OrderSummaryQueries } from '@tandem/read/models';
import { toOrderView } from '../order.view';
import { ListOrdersQuery, type OrderPage } from './list-orders.query';

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery, OrderPage> {
  constructor(private readonly orders: OrderSummaryQueries) {}

  async execute(query: ListOrdersQuery): Promise<OrderPage> {
    // One row more than asked tells whether another page follows, without a count.
    const rows = await this.orders.list(query.filter, query.after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toOrderView),
      next:
        rows.length > query.limit && last
          ? { createdAt: new Date(last.created_at), orderId: last.order_id }
          : null,
    };
  }
}
