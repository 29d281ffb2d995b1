import type { QueryRunner } from 'typeorm';

export { isUniqueViolation } from '@tandem/platform/sql';

/** Typed access to one query runner's connection: rows of a SELECT or RETURNING, or the count of rows changed. */
export class Sql {
  constructor(private readonly runner: QueryRunner) {}

  async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(sql, params, true);
    return (result.records ?? []) as T[];
  }

  async affected(sql: string, params: unknown[] = []): Promise<number> {
    const result = await this.runner.query(sql, params, true);
    return result.affected ?? 0;
  }
}
