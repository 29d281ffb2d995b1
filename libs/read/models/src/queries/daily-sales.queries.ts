import type { DataSource } from 'typeorm';
import { DailySalesEntity } from '../entities/daily-sales.entity';

/** Reads of the daily-sales read model. */
export class DailySalesQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Days from `from` to `to`, both inclusive (YYYY-MM-DD), oldest first, then by currency. */
  between(from: string, to: string): Promise<DailySalesEntity[]> {
    return this.dataSource
      .getRepository(DailySalesEntity)
      .createQueryBuilder('d')
      .where('d.day >= :from AND d.day <= :to', { from, to })
      .orderBy('d.day', 'ASC')
      .addOrderBy('d.currency', 'ASC')
      .getMany();
  }
}
