import { Query } from '@nestjs/cqrs';
import type { OrderKeyset, OrderListFilter } from '@tandem/read/models';
import type { OrderView } from '../order.view';

export interface OrderPage {
  items: OrderView[];
  /** Position after the last item, or null on the last page. */
  next: OrderKeyset | null;
}

export class ListOrdersQuery extends Query<OrderPage> {
  constructor(
    readonly filter: OrderListFilter,
    readonly after: OrderKeyset | null,
    readonly limit: number,
  ) {
    super();
  }
}
