import type { DataSource } from 'typeorm';
import { rowsOf, selectList } from '@tandem/platform/read-model';
import { dailySalesModel, type DailySalesDayRow } from './daily-sales.read-model';

const { columns, table } = dailySalesModel;

/** Reads of the daily-sales read model. */
export class DailySalesQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Days from `from` to `to`, both inclusive (YYYY-MM-DD), oldest first, then by currency. */
  async between(from: string, to: string): Promise<DailySalesDayRow[]> {
    // Aliased: in ORDER BY a bare `day` would be the output column, the text `selectList` reads a date as.
    const raw = await this.dataSource.query(
      `SELECT ${selectList(columns)} FROM ${table} d
        WHERE d.day >= $1::date AND d.day <= $2::date ORDER BY d.day, d.currency`,
      [from, to],
    );
    return rowsOf(columns, raw);
  }
}
