import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DailySalesQueries } from '@tandem/read/models';
import { GetDailySalesQuery, type DailySalesRowView } from './get-daily-sales.query';

@QueryHandler(GetDailySalesQuery)
export class GetDailySalesHandler implements IQueryHandler<GetDailySalesQuery, DailySalesRowView[]> {
  constructor(private readonly sales: DailySalesQueries) {}

  async execute(query: GetDailySalesQuery): Promise<DailySalesRowView[]> {
    const rows = await this.sales.between(query.from, query.to);
    return rows.map((row) => ({
      day: row.day,
      currency: row.currency,
      placedCount: row.placed_count,
      placedTotal: row.placed_total,
      shippedCount: row.shipped_count,
      shippedTotal: row.shipped_total,
      cancelledCount: row.cancelled_count,
      cancelledTotal: row.cancelled_total,
    }));
  }
}
