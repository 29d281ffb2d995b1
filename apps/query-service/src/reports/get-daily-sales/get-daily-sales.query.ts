import { Query } from '@nestjs/cqrs';

export interface DailySalesRowView {
  day: string;
  currency: string;
  placedCount: number;
  placedTotal: number;
  shippedCount: number;
  shippedTotal: number;
  cancelledCount: number;
  cancelledTotal: number;
}

/** Days `from` to `to`, both inclusive, as YYYY-MM-DD (UTC). */
export class GetDailySalesQuery extends Query<DailySalesRowView[]> {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}
