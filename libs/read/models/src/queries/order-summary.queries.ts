import type { DataSource } from 'typeorm';
import { OrderSummaryEntity } from '../entities/order-summary.entity';
import type { OrderStatus } from '../order-summary/order-summary.read-model';

export interface OrderListFilter {
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

/** Reads of the order-summary read model. */
export class OrderSummaryQueries {
  constructor(private readonly dataSource: DataSource) {}

  findById(orderId: string): Promise<OrderSummaryEntity | null> {
    return this.dataSource.getRepository(OrderSummaryEntity).findOneBy({ orderId });
  }

  /**
   * Newest first. The keyset comparison is a row-value comparison on the index's own columns, so each page is an
   * index range scan however deep it is, and rows inserted meanwhile (newer) never shift later pages.
   */
  list(filter: OrderListFilter, after: OrderKeyset | null, limit: number): Promise<OrderSummaryEntity[]> {
    const query = this.dataSource
      .getRepository(OrderSummaryEntity)
      .createQueryBuilder('o')
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.order_id', 'DESC')
      .limit(limit);
    if (filter.customerId) query.andWhere('o.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.status) query.andWhere('o.status = :status', { status: filter.status });
    if (filter.from) query.andWhere('o.created_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('o.created_at < :to', { to: filter.to });
    if (after) {
      query.andWhere('(o.created_at, o.order_id) < (:afterAt, :afterId)', {
        afterAt: after.createdAt,
        afterId: after.orderId,
      });
    }
    return query.getMany();
  }
}
