import type { DailySalesRow } from '@tandem/contracts';
import { Query } from '@nestjs/cqrs';

/** One day and currency of the report: the `DailySalesRow` schema of libs/contracts. */
export type DailySalesRowView = DailySalesRow;

/** Days `from` to `to`, both inclusive, as YYYY-MM-DD (UTC). */
export class GetDailySalesQuery extends Query<DailySalesRowView[]> {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}
